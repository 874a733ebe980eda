import assert from "node:assert/strict";
import { TokenBuckets } from "../../server/limits/token-buckets.ts";

describe("TokenBuckets", () => {
  it("lets a burst through, then the rate, says how long to wait, and keeps keys apart", () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 2, () => now);
    for (let index = 0; index < 3; index++) assert.equal(buckets.take("a", 1), 0);
    assert.equal(buckets.take("a", 1), 500, "one token refills in half a second at 2/s");
    assert.equal(buckets.take("b", 3), 0, "another key has its own bucket");
    now = 500;
    assert.equal(buckets.take("a", 1), 0);
    assert.equal(buckets.take("a", 2), 1000, "a refused take costs nothing");
    assert.equal(buckets.take("a", 4), Infinity, "more than the bucket ever holds");
    now = 10_000;
    assert.equal(buckets.take("a", 3), 0, "refilled to the capacity, not beyond");
    assert.equal(buckets.take("a", 1), 500);
  });

  it("forgets a key, and sweeps the buckets that are full again", () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 1, () => now);
    buckets.take("a", 2);
    buckets.take("b", 1);
    buckets.forget("a");
    assert.equal(buckets.take("a", 2), 0, "a forgotten key starts full");
    now = 1500;
    buckets.take("a", 0);
    buckets.sweep();
    assert.equal(buckets.size, 2, "b has been alone for less than a refill (2 s)");
    now = 2000;
    buckets.sweep();
    assert.equal(buckets.size, 1, "b is full again: dropped; a was used at 1.5 s");
    now = 3500;
    buckets.sweep();
    assert.equal(buckets.size, 0);
  });

  it("refuses a bucket that could never admit anything", () => {
    assert.throws(() => new TokenBuckets(0, 1), RangeError);
    assert.throws(() => new TokenBuckets(1, Number.NaN), RangeError);
  });
});
