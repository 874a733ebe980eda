/**
 * Bench child: a real KOTO Live process (startKotoServer, the same wiring as `npm start`) with its
 * configuration from the environment the parent passes. It also signs up the bench tutor, counts
 * and times every store call (the DB write rate), and reads the server-side pipeline overhead that
 * the lesson room stores in each attempt row (`evaluation.overheadMs`).
 */
import pino from "pino";
import { loadConfig } from "../../server/config.ts";
import { startKotoServer } from "../../server/app.ts";
import { hashPassword } from "../../server/auth/passwords.ts";
import type { Store } from "../../server/store/store.ts";
import { serveParent } from "./child-side.ts";

export const BENCH_TUTOR = { email: "bench-tutor@koto.test", password: "bench tutor password" };

const config = loadConfig(process.env);
const server = await startKotoServer(config, { logger: pino({ level: config.logLevel }) });
const store = server.store;
const unwrapped = { getAttempt: store.getAttempt.bind(store) };
// A Postgres database (BENCH_DATABASE_URL) may keep the tutor of an earlier run.
if (!(await store.findTutorByEmail(BENCH_TUTOR.email))) {
  await store.createTutor(BENCH_TUTOR.email, "Bench Tutor", await hashPassword(BENCH_TUTOR.password, 4));
}

// Every store method counted and timed. Rooms and routes hold this same object, so they go through it.
const calls = new Map<string, number[]>();
const WRITES = new Set([
  "createGuest", "createTutor", "startSession", "updateSession", "addParticipant", "endOrphanSessions",
  "recordAttempt", "updateAttempt", "saveProgress",
  "addTutorNote", "saveRecording",
]);
function timed<F extends (...args: any[]) => Promise<unknown>>(name: string, original: F): F {
  return (async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await original(...args);
    } finally {
      let list = calls.get(name);
      if (!list) calls.set(name, (list = []));
      list.push(performance.now() - started);
    }
  }) as F;
}
const prototype = Object.getPrototypeOf(store) as Record<string, unknown>;
for (const name of Object.getOwnPropertyNames(prototype)) {
  if (name === "constructor" || name === "close" || typeof prototype[name] !== "function") continue;
  (store as unknown as Record<string, unknown>)[name] = timed(name, (prototype[name] as (...args: unknown[]) => Promise<unknown>).bind(store));
}
// The recording is written (and flushed to disk) before evaluation starts: time it as well.
// BENCH_RECORDINGS=discard skips the write (an ablation: how much of the overhead the recording costs).
const recordings = server.speech.recordings;
const put = process.env.BENCH_RECORDINGS === "discard" ? async () => {} : recordings.put.bind(recordings);
recordings.put = timed("recordings.put", put);

const percentile = (sorted: number[], p: number) =>
  sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] * 100) / 100 : null;

const parent = serveParent({
  /** Store calls (and recording writes) since the last call: count and time per method, writes, overall percentiles. */
  db: () => {
    const byMethod: Record<string, { count: number; p50: number | null; p99: number | null }> = {};
    const durations: number[] = [];
    let writes = 0;
    for (const [name, list] of calls) {
      list.sort((a, b) => a - b);
      byMethod[name] = { count: list.length, p50: percentile(list, 50), p99: percentile(list, 99) };
      if (name === "recordings.put") continue;
      if (WRITES.has(name)) writes += list.length;
      durations.push(...list);
    }
    calls.clear();
    durations.sort((a, b) => a - b);
    return { calls: durations.length, writes, byMethod, p50: percentile(durations, 50), p99: percentile(durations, 99), max: percentile(durations, 100) };
  },
  /** The overhead the pipeline itself recorded for these attempts (speech-to-text and feedback time excluded). */
  attempts: async (ids: string[]) => {
    const rows = [];
    for (const id of ids) {
      const row = await unwrapped.getAttempt(id);
      const evaluation = (row?.evaluation ?? {}) as { overheadMs?: number; stages?: Record<string, number> };
      rows.push({ id, status: row?.status ?? null, overheadMs: evaluation.overheadMs ?? null, stages: evaluation.stages ?? null });
    }
    return rows;
  },
  rooms: () => server.liveRooms.size,
});
parent.ready({ port: server.port, store: store.kind as Store["kind"], transport: config.transport, patchRateMs: config.patchRateMs });
