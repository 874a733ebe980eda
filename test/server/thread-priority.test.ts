import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { BACKGROUND_NICE, lowerBackgroundThreads } from "../../server/thread-priority.ts";

/** Name and nice value of every thread of this process, from /proc. */
function threads(): { tid: string; name: string; nice: number }[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    // Fields after the parenthesised name: state is field 3, nice is field 19.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { tid, name: readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim(), nice: Number(fields[16]) };
  });
}

// KOTO Live runs on Linux (Debian, the seed's server); this reads the threads from /proc.
describe("background thread priority", () => {
  it("lowers libuv's pool and worker threads, and leaves the event loop's thread alone", async () => {
    await stat("."); // the thread pool exists once something used it
    const worker = new Worker("setInterval(() => {}, 1000)", { eval: true });
    await new Promise((resolve) => worker.once("online", resolve));
    try {
      const lowered = lowerBackgroundThreads();
      const after = threads();
      const background = after.filter((thread) => thread.name === "libuv-worker" || thread.name === "WorkerThread");
      assert.ok(background.some((thread) => thread.name === "WorkerThread"), "the worker thread is listed");
      assert.ok(lowered >= background.length, `${lowered} lowered of ${background.length}`);
      for (const thread of background) assert.equal(thread.nice, BACKGROUND_NICE, `${thread.name} ${thread.tid}`);
      const main = after.find((thread) => thread.tid === String(process.pid))!;
      assert.equal(main.nice, 0, "the event loop's thread keeps its priority");
    } finally {
      await worker.terminate();
    }
  });
});
