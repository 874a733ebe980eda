import assert from "node:assert/strict";
import { KotoError } from "../../server/errors.ts";
import { gatedInvoke } from "../../server/cluster/matchmaking-gate.ts";

describe("Matchmaking gate", () => {
  /** A matchmaking call that holds until released, counting how many run at once. */
  function heldInvoke() {
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const invoke = (async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      return { roomId: "r" };
    }) as never;
    return { invoke, releases, peak: () => peak };
  }

  it("runs at most maxConcurrentJoins at once, keeps a bounded line, and tells the rest SERVER_BUSY", async () => {
    const held = heldInvoke();
    const gated = gatedInvoke({ maxConcurrentJoins: 2, refusal: () => null }, held.invoke);
    const calls = Array.from({ length: 19 }, () => gated.call({} as never, "create", "lesson", {}, undefined as never).then(() => "joined", (error: Error & { code?: number }) => `${error.code} ${error.message}`));
    // 2 running + 16 waiting (8 x the limit); the 19th is refused at once.
    assert.match(await calls[18], /^503 SERVER_BUSY: /);
    const settled = Promise.all(calls.slice(0, 18));
    let done = false;
    void settled.then(() => { done = true; });
    // Release whatever is running until every admitted call has finished.
    while (!done) {
      for (const release of held.releases.splice(0)) release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const outcomes = await settled;
    assert.deepEqual(new Set(outcomes), new Set(["joined"]));
    assert.equal(held.peak(), 2);
  });

  it("refuses with the gate's reason and status without calling matchmaking", async () => {
    let called = 0;
    const gated = gatedInvoke({
      maxConcurrentJoins: 4,
      refusal: (method) => (method === "reconnect" ? null : new KotoError("REDIS_UNAVAILABLE", "new lessons cannot start", 503)),
    }, (async () => { called++; return {}; }) as never);
    await assert.rejects(gated.call({} as never, "create", "lesson", {}, undefined as never), (error: Error & { code?: number }) =>
      error.code === 503 && /^REDIS_UNAVAILABLE: new lessons cannot start$/.test(error.message));
    assert.equal(called, 0);
    await gated.call({} as never, "reconnect", "room-id", {}, undefined as never);
    assert.equal(called, 1);
  });
});
