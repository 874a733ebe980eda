/**
 * The baseline: a Colyseus room with no application logic. A learner's binary frames are relayed
 * as they are to every other client (the spectator); a tiny state is stamped every 100 ms.
 * The same shape as STACK.md's "bare Colyseus 0.18" measurement, so ratios against it mean
 * "what the lesson room adds".
 */
import { Room, type Client } from "@colyseus/core";
import { schema, t, type SchemaType } from "@colyseus/schema";

export const BareState = schema({
  stampedAt: t.float64().default(0),
  frames: t.uint32().default(0),
  clients: t.uint8().default(0),
}, "BareState");
export type BareState = SchemaType<typeof BareState>;

export class BareRoom extends Room<{ state: BareState }> {
  maxClients = 2;

  onCreate(): void {
    this.state = new BareState();
    this.clock.setInterval(() => {
      this.state.stampedAt = Date.now();
    }, 100);
    this.onMessageBytes("audio", (sender: Client, bytes: Uint8Array) => {
      this.state.frames++;
      for (const client of this.clients) if (client !== sender) client.sendBytes("relay", bytes);
    });
  }

  onJoin(): void {
    this.state.clients = this.clients.length;
  }

  onLeave(): void {
    this.state.clients = this.clients.length;
  }
}
