/**
 * On Linux, the process's background threads — libuv's pool (file writes, fsync, password hashing)
 * and the embedded database's worker thread — run at a lower priority (nice 10) than the event loop.
 *
 * Why: handing work to another thread wakes it, and on a machine whose cores are all busy the
 * scheduler lets the woken thread preempt the one that woke it; the event loop then waits out a
 * database query or an fsync before it relays the next audio frame (docs/capacity.md §4.8). At a
 * lower priority the woken thread runs when a core is free instead. Nothing else changes: the
 * threads still get every idle cycle.
 */
import { readdirSync, readFileSync } from "node:fs";
import { setPriority } from "node:os";

/** Node's names for the threads it starts for background work (/proc/<pid>/task/<tid>/comm). */
const BACKGROUND_THREADS = new Set(["libuv-worker", "WorkerThread"]);
export const BACKGROUND_NICE = 10;

/** Lowers every background thread that exists now; returns how many. Elsewhere than Linux: 0. */
export function lowerBackgroundThreads(taskDirectory = "/proc/self/task"): number {
  if (process.platform !== "linux") return 0;
  let lowered = 0;
  for (const tid of safeList(taskDirectory)) {
    const name = safeRead(`${taskDirectory}/${tid}/comm`);
    if (!name || !BACKGROUND_THREADS.has(name)) continue;
    try {
      setPriority(Number(tid), BACKGROUND_NICE);
      lowered++;
    } catch {
      // A thread that ended meanwhile, or a system that refuses: the server works the same, only less smoothly.
    }
  }
  return lowered;
}

function safeList(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

function safeRead(path: string): string | null {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return null;
  }
}
