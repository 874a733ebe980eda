import assert from "node:assert/strict";
import { LearnerQueue } from "../../rooms/lesson/learner-queue.ts";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("LearnerQueue", () => {
  it("runs one learner's writes in the order they were asked for, even when an earlier one is slower", async () => {
    const queue = new LearnerQueue();
    const order: string[] = [];
    await Promise.all([
      queue.run("mina", async () => { await tick(30); order.push("mina:1"); }),
      queue.run("mina", async () => { order.push("mina:2"); }),
      queue.run("budi", async () => { order.push("budi:1"); }),
    ]);
    assert.deepEqual(order.filter((entry) => entry.startsWith("mina")), ["mina:1", "mina:2"]);
    assert.ok(order.indexOf("budi:1") < order.indexOf("mina:1"), "other learners are not held up");
  });

  it("keeps going after a failed write, and reports the failure to its caller", async () => {
    const queue = new LearnerQueue();
    await assert.rejects(queue.run("mina", async () => { throw new Error("store down"); }), /store down/);
    assert.equal(await queue.run("mina", async () => 7), 7);
  });

  it("settles only when every write, including ones queued while waiting, has finished", async () => {
    const queue = new LearnerQueue();
    let done = 0;
    void queue.run("mina", async () => {
      await tick(10);
      done++;
      void queue.run("mina", async () => { await tick(10); done++; });
    });
    await queue.settle();
    assert.equal(done, 2);
  });
});
