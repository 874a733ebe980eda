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
import { randomUUID } from "node:crypto";
import type { Redis, RedisOptions } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { KotoError } from "../errors.ts";

export interface Coordination {
  readonly kind: "local" | "redis";
  readonly presence: Presence;
  readonly driver: MatchMakerDriver;
  /** The command connection (keys under `koto:`), for counters every process must share: the sign-in limits. */
  readonly redis?: Redis;
  /** False while Redis is unreachable or the subscriber hears nothing: new rooms are refused, rooms in progress go on. */
  isAvailable(): boolean;
  /** For /healthz: each Redis connection, and whether the subscriber heard its own last echo. */
  describe(): RedisReport | undefined;
  /** Called each time Redis is reachable again after an outage (it may have lost every key). */
  onRecovered(callback: () => void): void;
  stop(): void;
}

export interface RedisReport {
  /** "up": every connection ready and the subscriber listening. */
  state: "up" | "down";
  publisher: string;
  subscriber: string;
  driver: string;
  /** "listening": the subscriber received the watchdog's last echo; "silent": it missed one and is being reconnected. */
  subscription: "listening" | "silent";
  lastEchoAgoMs: number | null;
}

export interface CoordinationOptions {
  /** How often the subscriber's watchdog publishes an echo to itself; an echo unheard by the next round counts as silence. */
  watchdogMs?: number;
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
const WATCHDOG_MS = 5000;

export async function createCoordination(config: Pick<Config, "redis">, logger: Logger, coordinationOptions: CoordinationOptions = {}): Promise<Coordination> {
  if (!config.redis) {
    return {
      kind: "local", presence: new LocalPresence(), driver: new LocalDriver(),
      isAvailable: () => true, describe: () => undefined, onRecovered: () => {}, stop: () => {},
    };
  }
  // Loaded only here: a process on local presence (the embedded default) never holds ioredis and the
  // Colyseus Redis modules in memory (about 20 MB resident, docs/capacity.md §4.11).
  const [{ Redis }, { RedisPresence }, { RedisDriver }] = await Promise.all([
    import("ioredis"), import("@colyseus/redis-presence"), import("@colyseus/redis-driver"),
  ]);
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
  /** Started once every connection is ready; it says whether the subscriber hears its echo. */
  let watchdog: SubscriberWatchdog | undefined;
  const refresh = () => {
    const now = (watchdog?.listening() ?? true) && clients.every((client) => client.status === "ready");
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
  const subscriberWatchdog = await watchSubscriber({ presence, publisher, subscriber, logger, everyMs: coordinationOptions.watchdogMs ?? WATCHDOG_MS, onChange: refresh });
  watchdog = subscriberWatchdog;
  publisher.once("end", () => subscriberWatchdog.stop());
  return {
    kind: "redis", presence, driver, redis: publisher,
    isAvailable: () => available,
    describe: () => ({
      state: available ? "up" : "down", publisher: publisher.status, subscriber: subscriber.status, driver: driverClient.status,
      subscription: subscriberWatchdog.listening() ? "listening" : "silent",
      lastEchoAgoMs: subscriberWatchdog.lastEchoAt() === null ? null : Date.now() - subscriberWatchdog.lastEchoAt()!,
    }),
    onRecovered: (callback) => { recovered.push(callback); },
    stop: () => subscriberWatchdog.stop(),
  };
}

/**
 * The subscriber connection is the one Colyseus needs to hear anything from other processes (room
 * calls, seat reservations, replies). ioredis reconnects it and the presence subscribes again when
 * it comes back, but a connection that stays open while hearing nothing (subscriptions lost, a
 * half-open socket) raises no event. So the process publishes an echo to a channel of its own every
 * round; an echo still unheard two rounds later means the subscriber is deaf (one round of grace:
 * after a long event-loop stall the timer may fire before the echo waiting on the socket is read):
 * it is marked so (new rooms are refused as when Redis is down) and reconnected, which makes the
 * presence subscribe to every channel again. It is listening once an echo arrives.
 */
async function watchSubscriber(watched: {
  presence: Presence; publisher: Redis; subscriber: Redis; logger: Logger; everyMs: number; onChange: () => void;
}): Promise<SubscriberWatchdog> {
  const { presence, publisher, subscriber, logger, everyMs, onChange } = watched;
  // Channels are global (README): the random part keeps this process's echo its own.
  const channel = `koto-echo:${randomUUID()}`;
  let waitingFor: string | null = null;
  let roundsWaited = 0;
  let lastEchoAt: number | null = null;
  let listening = true;
  const set = (now: boolean) => {
    if (now === listening) return;
    listening = now;
    onChange();
  };
  await presence.subscribe(channel, (token: unknown) => {
    if (token !== waitingFor) return;
    waitingFor = null;
    lastEchoAt = Date.now();
    if (!listening) logger.info({ channel }, "the Redis subscriber hears again");
    set(true);
  });
  const round = () => {
    // While a connection is down, ioredis' own reconnection is at work (and the presence resubscribes).
    if (publisher.status !== "ready" || subscriber.status !== "ready") {
      waitingFor = null;
      return;
    }
    if (waitingFor !== null) {
      roundsWaited += 1;
      if (roundsWaited < 2) return;
      logger.warn({ channel }, "the Redis subscriber missed its echo: marking it deaf and reconnecting it");
      waitingFor = null;
      set(false);
      subscriber.disconnect(true);
      return;
    }
    roundsWaited = 0;
    waitingFor = randomUUID();
    presence.publish(channel, waitingFor).catch(() => { waitingFor = null; });
  };
  const timer = setInterval(round, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer), lastEchoAt: () => lastEchoAt, listening: () => listening };
}

interface SubscriberWatchdog {
  stop(): void;
  lastEchoAt(): number | null;
  /** False from the moment the subscriber missed its echo until it hears one again. */
  listening(): boolean;
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
