import assert from "node:assert/strict";
import { SampleBuffers } from "../../../server/speech/audio/sample-buffers.ts";

describe("SampleBuffers", () => {
  it("hands out size classes that double from the first, and reuses a released buffer of the same class", () => {
    const pool = new SampleBuffers(1000, 1_000_000);
    const small = pool.acquire(0);
    const larger = pool.acquire(1001);
    assert.deepEqual([small.length, larger.length, pool.acquire(4000).length, pool.acquire(4001).length], [1000, 2000, 4000, 8000]);
    pool.release(small);
    pool.release(larger);
    assert.equal(pool.pooled, 3000);
    assert.equal(pool.acquire(2000), larger);
    assert.equal(pool.acquire(10), small);
    assert.notEqual(pool.acquire(10), small, "an acquired buffer is not handed out twice");
    assert.equal(pool.pooled, 0);
  });

  it("keeps no more than its bound, and leaves views and odd sizes to the GC", () => {
    const pool = new SampleBuffers(1000, 2500);
    const [a, b, c] = [pool.acquire(1000), pool.acquire(1000), pool.acquire(1000)];
    for (const buffer of [a, b, c]) pool.release(buffer);
    assert.equal(pool.pooled, 2000);
    pool.release(new Int16Array(1500));
    pool.release(new Int16Array(2000).subarray(0, 1000));
    assert.equal(pool.pooled, 2000);
  });

  it("lists a buffer released twice once (two utterances would record into it)", () => {
    const pool = new SampleBuffers(1000, 10_000);
    const buffer = pool.acquire(1);
    pool.release(buffer);
    pool.release(buffer);
    assert.equal(pool.pooled, 1000);
    assert.equal(pool.acquire(1), buffer);
    assert.notEqual(pool.acquire(1), buffer);
  });
});
