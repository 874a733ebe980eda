#!/usr/bin/env node
/**
 * Keeps every core busy for a bounded time, to check that `npm test` holds on a loaded machine:
 *
 *   node scripts/cpu-load.mjs [seconds=600] [workers=number of cores]
 *   node scripts/cpu-load.mjs 900 & npm test; kill %1
 *
 * Each worker thread spins on arithmetic at normal priority (nothing is niced), so the tests get
 * roughly half the CPU they would on an idle machine. The process ends on its own after the given
 * time (at most one hour) or on SIGINT/SIGTERM.
 */
import { availableParallelism } from "node:os";
import { Worker, isMainThread, workerData } from "node:worker_threads";

const MAX_SECONDS = 3600;

if (isMainThread) {
  const seconds = Math.min(MAX_SECONDS, Math.max(1, Number(process.argv[2] ?? 600)));
  const workers = Math.max(1, Math.floor(Number(process.argv[3] ?? availableParallelism())));
  const until = Date.now() + seconds * 1000;
  const threads = Array.from({ length: workers }, () => new Worker(new URL(import.meta.url), { workerData: { until } }));
  console.error(`cpu-load: ${workers} busy thread(s) for ${seconds} s (pid ${process.pid})`);
  const stop = () => {
    for (const thread of threads) void thread.terminate();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // A hard bound whatever the threads do.
  setTimeout(() => process.exit(0), seconds * 1000 + 2000).unref();
} else {
  const { until } = workerData;
  let sink = 0;
  while (Date.now() < until) {
    // Spin in short slices so the deadline is checked often.
    for (let i = 0; i < 1e6; i++) sink = (sink * 1664525 + 1013904223 + i) % 4294967296;
  }
  if (sink === -1) console.log(sink); // keeps the loop from being optimised away
}
