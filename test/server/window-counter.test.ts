import assert from "node:assert/strict";
import { WindowCounter } from "../../server/limits/window-counter.ts";

describe("WindowCounter", () => {
  it("allows N in any window per key, says when a slot frees, and forgets keys whose window emptied", () => {
    let now = 0;
    const counter = new WindowCounter(2, 1000, () => now);
    assert.equal(counter.take("a"), 0);
    now = 400;
    assert.equal(counter.take("a"), 0);
    assert.equal(counter.take("a"), 600);
    assert.equal(counter.take("b"), 0);
    now = 1000;
    assert.equal(counter.take("a"), 0, "the first slot freed at 1000");
    assert.equal(counter.size, 2);
    // Two windows later only the key that keeps asking is kept.
    now = 2500;
    assert.equal(counter.take("c"), 0);
    assert.equal(counter.size, 1);
  });

  it("tells the wait without counting, counts when asked, and a sweep drops the times that left the window", () => {
    let now = 0;
    const counter = new WindowCounter(2, 1000, () => now);
    assert.equal(counter.waitFor("a"), 0);
    assert.equal(counter.held, 0, "asking counts nothing");
    counter.count("a");
    now = 600;
    counter.count("a");
    assert.equal(counter.waitFor("a"), 400);
    assert.equal(counter.held, 2);
    now = 1100;
    counter.sweep();
    assert.equal(counter.held, 1, "the time from 0 left the window; 600 stays");
    assert.equal(counter.waitFor("a"), 0);
    now = 1600;
    counter.sweep();
    assert.deepEqual([counter.size, counter.held], [0, 0]);
  });
});
