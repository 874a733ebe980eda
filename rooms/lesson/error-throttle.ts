/**
 * Error replies to a client that keeps getting the same thing wrong (bad audio frames, a flood of
 * messages over its budget): one per connection and code per second, not one per message.
 */
import type { Client } from "@colyseus/core";
import type { KotoError } from "../../server/errors.ts";

export class ErrorThrottle {
  private readonly lastSentAt = new Map<string, number>();

  constructor(private readonly repeatMs = 1000, private readonly now: () => number = Date.now) {}

  /** Sends `error` (as `error { code, message, type }`) unless this connection got the same code within the last second. */
  send(client: Client, error: KotoError, type: string | null): void {
    const key = `${client.sessionId}:${error.code}`;
    const now = this.now();
    if (now - (this.lastSentAt.get(key) ?? 0) < this.repeatMs) return;
    this.lastSentAt.set(key, now);
    client.send("error", { ...error.toWire(), type });
  }

  /** The connection left: its entries go. */
  forget(connectionId: string): void {
    for (const key of this.lastSentAt.keys()) if (key.startsWith(`${connectionId}:`)) this.lastSentAt.delete(key);
  }
}
