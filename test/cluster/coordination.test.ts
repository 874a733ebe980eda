import assert from "node:assert/strict";
import pino from "pino";
import { Redis } from "ioredis";
import { loadConfig } from "../../server/config.ts";
import { createCoordination, redisRetryDelay, type Coordination } from "../../server/cluster/coordination.ts";
import { startRedis, stopAll, waitFor, type TestRedis } from "../support/processes.ts";

describe("Coordination (presence and driver)", function () {
  this.timeout(60_000);
  const logger = pino({ level: "silent" });
  let redis: TestRedis;

  before(async () => {
    redis = await startRedis();
  });
  after(stopAll);

  it("keeps rooms in memory when REDIS_URL is unset", async () => {
    const coordination = await createCoordination(loadConfig({}), logger);
    assert.equal(coordination.kind, "local");
    assert.equal(coordination.isAvailable(), true);
  });

  it("writes every key under the koto: prefix; channels stay global", async () => {
    const coordination = await createCoordination(loadConfig({ REDIS_URL: redis.url, DATABASE_URL: "postgres://unused/koto" }), logger);
    const probe = new Redis(redis.url);
    try {
      await coordination.presence.hset("roomcount", "process-a", "1,2");
      await coordination.driver.persist({ name: "lesson", roomId: "room-1", processId: "process-a", clients: 0, maxClients: 10 } as never, true);
      assert.deepEqual((await probe.keys("*")).sort(), ["koto:roomcaches", "koto:roomcount"]);
      const heard = new Promise((resolve) => coordination.presence.subscribe("p:process-a", resolve));
      await waitFor(async () => (await probe.pubsub("CHANNELS", "*")).includes("p:process-a"), "the subscription");
      await probe.publish("p:process-a", JSON.stringify(["healthcheck"]));
      assert.deepEqual(await heard, ["healthcheck"]);
    } finally {
      probe.disconnect();
      coordination.presence.shutdown();
      await coordination.driver.shutdown();
    }
  });

  it("says when Redis is down and when it is back, retrying with bounded back-off", async () => {
    const coordination = await createCoordination(loadConfig({ REDIS_URL: redis.url, DATABASE_URL: "postgres://unused/koto" }), logger);
    try {
      assert.equal(coordination.isAvailable(), true);
      await redis.stop();
      await waitFor(() => !coordination.isAvailable(), "Redis to be seen as down");
      await redis.start();
      await waitFor(() => coordination.isAvailable(), "Redis to be seen as back");
    } finally {
      coordination.presence.shutdown();
      await coordination.driver.shutdown();
    }
  });

  /** Publishes until the presence's subscriber hears `channel` (it may be reconnecting meanwhile). */
  const hearsAgain = async (coordination: Coordination, channel: string) => {
    const probe = new Redis(redis.url);
    let heard = 0;
    const listener = () => { heard += 1; };
    await coordination.presence.subscribe(channel, listener);
    try {
      await waitFor(async () => {
        await probe.publish(channel, JSON.stringify("ping"));
        await new Promise((resolve) => setTimeout(resolve, 50));
        return heard > 0;
      }, `the subscriber to hear ${channel}`);
    } finally {
      await coordination.presence.unsubscribe(channel, listener);
      probe.disconnect();
    }
  };

  it("subscribes to every channel again after Redis drops the subscriber connection (CLIENT KILL TYPE pubsub)", async () => {
    const coordination = await createCoordination(loadConfig({ REDIS_URL: redis.url, DATABASE_URL: "postgres://unused/koto" }), logger);
    const admin = new Redis(redis.url);
    try {
      let calls = 0;
      await coordination.presence.subscribe("$room-1", () => { calls += 1; });
      const subscriber = (coordination.presence as unknown as { sub: Redis }).sub;
      const closed = new Promise((resolve) => subscriber.once("close", resolve));
      assert.ok(Number(await admin.client("KILL", "TYPE", "pubsub")) >= 1, "a pub/sub connection was killed");
      await closed;
      await waitFor(async () => (await admin.pubsub("NUMSUB", "$room-1"))[1] === 1, "the channel to be subscribed again");
      await admin.publish("$room-1", JSON.stringify(["method", "request", []]));
      await waitFor(() => calls === 1, "the room channel to be heard again");
      await waitFor(() => coordination.isAvailable(), "Redis to be seen as up");
      assert.equal(coordination.describe()?.subscription, "listening");
    } finally {
      admin.disconnect();
      coordination.stop();
      coordination.presence.shutdown();
      await coordination.driver.shutdown();
    }
  });

  it("finds a subscriber that stays connected but hears nothing, refuses new rooms meanwhile, and reconnects it", async () => {
    const lines: { msg: string }[] = [];
    let availableWhileDeaf: boolean | undefined;
    const watched = pino({ level: "info" }, {
      write: (line: string) => {
        const entry = JSON.parse(line) as { msg: string };
        lines.push(entry);
        // Right after the warning (logged just before the subscriber is marked and reconnected).
        if (/missed its echo/.test(entry.msg)) queueMicrotask(() => { availableWhileDeaf ??= coordination.isAvailable(); });
      },
    });
    const coordination: Coordination = await createCoordination(loadConfig({ REDIS_URL: redis.url, DATABASE_URL: "postgres://unused/koto" }), watched, { watchdogMs: 200 });
    try {
      await coordination.presence.subscribe("p:process-a", () => {});
      await waitFor(() => coordination.describe()?.lastEchoAgoMs !== null, "a first echo");
      // The connection stays open and says nothing, but every subscription is gone (as after a Redis
      // that lost its state without dropping the socket): no event tells ioredis or the presence.
      const subscriber = (coordination.presence as unknown as { sub: Redis }).sub;
      await subscriber.unsubscribe();
      await waitFor(() => lines.some((line) => /missed its echo/.test(line.msg)), "the watchdog to notice");
      assert.equal(availableWhileDeaf, false, "new rooms are refused while the subscriber is deaf");
      await waitFor(() => lines.some((line) => /hears again/.test(line.msg)), "the subscriber to hear again");
      await hearsAgain(coordination, "p:process-a");
      assert.equal(coordination.isAvailable(), true);
      assert.deepEqual({ ...coordination.describe(), lastEchoAgoMs: 0 }, {
        state: "up", publisher: "ready", subscriber: "ready", driver: "ready", subscription: "listening", lastEchoAgoMs: 0,
      });
    } finally {
      coordination.stop();
      coordination.presence.shutdown();
      await coordination.driver.shutdown();
    }
  });

  it("refuses to start when Redis cannot be reached", async () => {
    await assert.rejects(createCoordination(loadConfig({ REDIS_URL: "redis://127.0.0.1:1", DATABASE_URL: "postgres://unused/koto" }), logger), /REDIS_UNAVAILABLE/);
  });

  it("backs off from 125-250 ms up to 2.5-5 s, never faster", () => {
    assert.deepEqual([1, 2, 6, 20].map((attempt) => redisRetryDelay(attempt, () => 0)), [125, 250, 2500, 2500]);
    assert.deepEqual([1, 2, 6, 20].map((attempt) => redisRetryDelay(attempt, () => 1)), [250, 500, 5000, 5000]);
  });
});
