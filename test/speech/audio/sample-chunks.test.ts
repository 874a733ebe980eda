import assert from "node:assert/strict";
import { ChunkPool, ChunkedSamples } from "../../../server/speech/audio/sample-chunks.ts";

const ramp = (from: number, count: number) => Int16Array.from({ length: count }, (_, i) => from + i);

describe("ChunkedSamples", () => {
  it("keeps samples appended across chunk boundaries in order, and hands views of any range without copying", () => {
    const pool = new ChunkPool(10, 100);
    const samples = new ChunkedSamples(pool);
    samples.append(ramp(0, 7));
    samples.append(ramp(7, 18));
    assert.equal(samples.length, 25);
    const whole = new Int16Array(25);
    samples.copyTo(whole);
    assert.deepEqual(whole, ramp(0, 25));
    assert.deepEqual(samples.views(8, 23).map((view) => [...view]), [[8, 9], [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], [20, 21, 22]]);
    assert.deepEqual(samples.views(5, 5), []);
  });

  it("lends the free tail of the last chunk for writing in place, and refuses a write that would cross into the next", () => {
    const samples = new ChunkedSamples(new ChunkPool(10, 100));
    assert.equal(samples.tailOffset, 0);
    samples.tail(4)!.set(ramp(0, 4), 0);
    samples.commit(4);
    assert.equal(samples.tailOffset, 4);
    assert.equal(samples.tail(7), null, "4 + 7 does not fit a chunk of 10");
    assert.equal(samples.tail(11), null, "more than a chunk never fits");
    samples.append(ramp(4, 6));
    assert.equal(samples.tailOffset, 0, "a full chunk is followed by a new one");
    samples.tail(3)!.set(ramp(10, 3), 0);
    samples.commit(3);
    const whole = new Int16Array(samples.length);
    samples.copyTo(whole);
    assert.deepEqual(whole, ramp(0, 13));
  });

  it("gives its chunks back to the pool, which reuses them and keeps no more than its bound", () => {
    const pool = new ChunkPool(10, 2);
    const samples = new ChunkedSamples(pool);
    samples.append(ramp(0, 30));
    const lent = samples.views(0, 30).map((view) => view.buffer);
    samples.release();
    assert.equal(samples.length, 0);
    assert.equal(pool.freeChunks, 2, "the third chunk is left to the GC");
    const next = new ChunkedSamples(pool);
    next.append(ramp(100, 5));
    assert.ok(lent.includes(next.views(0, 5)[0].buffer), "a released chunk is reused");
    const whole = new Int16Array(5);
    next.copyTo(whole);
    assert.deepEqual(whole, ramp(100, 5), "nothing of the previous utterance shows through");
    pool.release(new Int16Array(11));
    pool.release(new Int16Array(20).subarray(0, 10));
    assert.equal(pool.freeChunks, 1, "views and other sizes are not pooled");
  });
});
