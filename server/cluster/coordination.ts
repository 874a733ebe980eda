/**
 * Where rooms are listed and how processes reach each other's rooms. One process keeps both in
 * memory (Colyseus' local presence and driver: the embedded default). Several processes share them
 * through Redis (`REDIS_URL`): any process can then create a room on the least busy one and seat a
 * client in a room that lives on another.
 *
 * The seed's Redis is shared with other projects, so every key gets the `koto:` prefix (ioredis
 * `keyPrefix`: `koto:roomcaches`, `koto:roomcount`, …). Pub/sub channels cannot be prefixed that
 * way, and a Redis database number does not separate them either: README lists the channels that
 * stay global.
 */
import { LocalDriver, LocalPresence, type MatchMakerDriver, type Presence } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { KotoError } from "../errors.ts";

export interface Coordination {
  readonly kind: "local" | "redis";
  readonly presence: Presence;
  readonly driver: MatchMakerDriver;
  /** False while Redis is unreachable: new rooms are refused, rooms in progress go on. */
  isAvailable(): boolean;
  /** Called each time Redis is reachable again after an outage (it may have lost every key). */
  onRecovered(callback: () => void): void;
}

/**
 * Colyseus calls Redis without awaiting in places (room counts on join and leave, listing removal on
 * dispose); while Redis is down those promises reject with nobody listening. Such a rejection is
 * an expected consequence of the outage, not a bug to crash on.
 */
export function isRedisConnectionError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /MaxRetriesPerRequest|Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE|Reached the max retries/i.test(text);
}

/** Reconnection back-off: doubling from 250 ms, capped at 5 s, with jitter so processes spread out. */
export function redisRetryDelay(attempt: number, random = Math.random): number {
  const ceiling = Math.min(5000, 250 * 2 ** Math.min(attempt - 1, 5));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const STARTUP_WAIT_MS = 10_000;

export async function createCoordination(config: Config, logger: Logger): Promise<Coordination> {
  if (!config.redis) {
    return { kind: "local", presence: new LocalPresence(), driver: new LocalDriver(), isAvailable: () => true, onRecovered: () => {} };
  }
  const { url, password, keyPrefix } = config.redis;
  const options: RedisOptions = {
    keyPrefix,
    ...(password ? { password } : {}),
    // A command waits for at most one reconnection: callers get an error instead of piling up.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => redisRetryDelay(attempt),
    connectTimeout: 5000,
  };
  const publisher = new Redis(url, options);
  const presence = new RedisPresence(publisher);
  const driverClient = publisher.duplicate();
  const driver = new RedisDriver(driverClient);
  const subscriber = (presence as unknown as { sub: Redis }).sub;
  const clients = [publisher, subscriber, driverClient];

  const where = redactedUrl(url);
  let available = false;
  let started = false;
  let lastError = "";
  const recovered: (() => void)[] = [];
  const refresh = () => {
    const now = clients.every((client) => client.status === "ready");
    if (now === available) return;
    available = now;
    // One line per change of state, not one per reconnection attempt.
    if (now) logger.info({ redis: where }, "Redis is reachable: new lessons can start");
    else logger.warn({ redis: where, error: lastError }, "Redis is unreachable: new lessons are refused, lessons in progress continue");
    if (now && started) for (const callback of recovered) callback();
  };
  for (const client of clients) {
    client.on("ready", refresh);
    client.on("close", refresh);
    client.on("end", refresh);
    client.on("error", (error: Error) => { lastError = error.message; });
  }

  const ready = await waitUntil(() => clients.every((client) => client.status === "ready"), STARTUP_WAIT_MS);
  if (!ready) {
    for (const client of clients) client.disconnect();
    throw new KotoError("REDIS_UNAVAILABLE", `could not reach Redis at ${where} within ${STARTUP_WAIT_MS / 1000} s (${lastError || "no answer"})`);
  }
  refresh();
  started = true;
  return {
    kind: "redis", presence, driver,
    isAvailable: () => available,
    onRecovered: (callback) => { recovered.push(callback); },
  };
}

function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const started = Date.now();
    const check = () => {
      if (condition()) return resolve(true);
      if (Date.now() - started > timeoutMs) return resolve(false);
      setTimeout(check, 50);
    };
    check();
  });
}

/** The URL without its password, for logs and errors. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(invalid URL)";
  }
}
