/**
 * The child end of the bench's IPC channel: answers the parent's requests, reports event-loop delay
 * and memory, exits when the parent goes away or after a hard time bound.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { loopLagFromNs } from "../lib/stats.ts";

type Handler = (payload: any) => unknown;

const LOOP_RESOLUTION_MS = 5;
/** No bench child outlives this, whatever the parent does. */
const MAX_LIFETIME_MS = 20 * 60_000;

export function serveParent(handlers: Record<string, Handler>): { ready(info: Record<string, unknown>): void } {
  if (!process.send) throw new Error("bench children are started by bench/run.ts with an IPC channel");
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  const ms = (ns: number) => loopLagFromNs(ns, LOOP_RESOLUTION_MS, 2);

  // One inspector session per kind of profile, so that a CPU and an allocation profile can run in the same window.
  const profilers = new Map<"cpu" | "heap", Session>();
  const connected = (kind: "cpu" | "heap") => {
    let session = profilers.get(kind);
    if (!session) {
      session = new Session();
      session.connect();
      profilers.set(kind, session);
    }
    return session;
  };
  /** Stops the profile a *Start handler started, writes it into `directory` and disconnects. */
  const saveProfile = async (kind: "cpu" | "heap", directory: string | undefined, name: string) => {
    const session = profilers.get(kind);
    if (!session) throw new Error(`no ${kind} profile was started`);
    const { profile } = (await session.post(kind === "cpu" ? "Profiler.stop" : "HeapProfiler.stopSampling" as "Profiler.stop")) as { profile: unknown };
    session.disconnect();
    profilers.delete(kind);
    const path = join(directory ?? ".", name);
    writeFileSync(path, JSON.stringify(profile));
    return path;
  };
  // Garbage-collection pauses since the last stats call (a long one stalls every frame behind it).
  let gcPauses: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  }).observe({ entryTypes: ["gc"] });
  const all: Record<string, Handler> = {
    /** Event-loop lag (beyond the 5 ms sampling interval) since the last call, then reset; memory now. */
    stats: () => {
      const memory = process.memoryUsage();
      const result = {
        eventLoop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean) },
        memoryMb: {
          rss: mb(memory.rss), heapUsed: mb(memory.heapUsed), heapTotal: mb(memory.heapTotal),
          external: mb(memory.external), arrayBuffers: mb(memory.arrayBuffers),
        },
      };
      loop.reset();
      const pauses = gcPauses.sort((a, b) => a - b);
      gcPauses = [];
      const round = (value: number) => Math.round(value * 100) / 100;
      return {
        ...result,
        gc: { count: pauses.length, totalMs: round(pauses.reduce((sum, pause) => sum + pause, 0)), maxMs: round(pauses.at(-1) ?? 0) },
      };
    },
    /** BENCH_CPU_PROF: a V8 CPU profile of this process's main thread over one measurement window. */
    profileStart: async () => {
      await connected("cpu").post("Profiler.enable");
      await connected("cpu").post("Profiler.start");
      return true;
    },
    profileStop: (label: string) => saveProfile("cpu", process.env.BENCH_CPU_PROF, `window-${label}-${process.pid}.cpuprofile`),
    /**
     * BENCH_HEAP_PROF: where this process allocates over one window (sampled every 32 KB, objects the
     * GC already collected included: what churns, not what stays).
     */
    heapProfileStart: async () => {
      await connected("heap").post("HeapProfiler.enable");
      await connected("heap").post("HeapProfiler.startSampling", {
        samplingInterval: 32 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
      });
      return true;
    },
    heapProfileStop: (label: string) => saveProfile("heap", process.env.BENCH_HEAP_PROF, `window-${label}-${process.pid}.heapprofile`),
    gc: () => {
      (globalThis as { gc?: () => void }).gc?.();
      return true;
    },
    /** This process's CPU time so far (µs, every thread), for a caller that counts its own work units. */
    cpuUs: () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
    ...handlers,
  };

  process.on("message", async (message: { id: number; type: string; payload?: unknown }) => {
    const handler = all[message.type];
    try {
      if (!handler) throw new Error(`unknown request ${message.type}`);
      const result = await handler(message.payload);
      process.send?.({ id: message.id, result });
    } catch (error) {
      process.send?.({ id: message.id, error: (error as Error)?.stack ?? String(error) });
    }
  });
  process.on("disconnect", () => process.exit(0));
  // A clean exit on SIGTERM, so `--cpu-prof` (BENCH_CPU_PROF) gets to write its profile.
  process.on("SIGTERM", () => process.exit(0));
  setTimeout(() => {
    console.error("bench child: lifetime bound reached, exiting");
    process.exit(3);
  }, MAX_LIFETIME_MS).unref();

  return { ready: (info) => process.send?.({ type: "ready", ...info }) };
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
