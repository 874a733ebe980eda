import assert from "node:assert/strict";
import pino from "pino";
import { Redis } from "ioredis";
import { loadConfig } from "../../server/config.ts";
import { createCoordination, redisRetryDelay } from "../../server/cluster/coordination.ts";
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

  it("refuses to start when Redis cannot be reached", async () => {
    await assert.rejects(createCoordination(loadConfig({ REDIS_URL: "redis://127.0.0.1:1", DATABASE_URL: "postgres://unused/koto" }), logger), /REDIS_UNAVAILABLE/);
  });

  it("backs off from 125-250 ms up to 2.5-5 s, never faster", () => {
    assert.deepEqual([1, 2, 6, 20].map((attempt) => redisRetryDelay(attempt, () => 0)), [125, 250, 2500, 2500]);
    assert.deepEqual([1, 2, 6, 20].map((attempt) => redisRetryDelay(attempt, () => 1)), [250, 500, 5000, 5000]);
  });
});
