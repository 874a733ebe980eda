/**
 * `npm run bench` (full) or `BENCH_QUICK=1 npm run bench` (shorter: the capacity part alone, BENCH_PARTS=capacity, ~5 min a round,
 * three rounds by default; BENCH_CAPACITY_ROUNDS=1 for one).
 *
 * Measures, on this machine, with the load generator in this process (part 0: in two bench children)
 * and each server in its own child process (CPU and RSS read from /proc/<pid>):
 *   0. capacity: for the bare Colyseus room and the lesson room (6 s and 30 s utterances) in the same
 *      run, a ramp of continuously speaking sessions (16 kHz PCM, tutor listening) up to the last level
 *      whose relay p99 is within 50 ms (BENCH_RELAY_BUDGET_MS), then lesson ÷ bare within each round and the
 *      median of the rounds, and the machine CPU a lesson session costs against a bare one; idle RSS of both;
 *   1. relay: a bare Colyseus room (ws and uWS) vs the lesson room (uWS), N sessions of one learner
 *      streaming real-time PCM16 + one tutor receiving the relay: latency, CPU, RSS, ratios;
 *   2. pipeline overhead: release of a push-to-talk utterance → attempt `scored` in the learner's
 *      state, minus the fake speech-to-text's fixed delay, at PATCH_RATE_MS 50 and 20;
 *   3. concurrency: speakers at once until the overhead p95 passes 50 ms;
 *   4. the audio-in stages per 20 ms frame (bench/audio-stages.ts), and the whole frame path's event-loop
 *      time per frame, lesson room against bare room, each alone in its process (bench/frame-path.ts).
 * Prints tables and writes bench/results/latest.json. Traffic goes to 127.0.0.1 only; every loop
 * is bounded in count and time.
 *
 * Environment: BENCH_QUICK=1, BENCH_DATABASE_URL (Postgres instead of PGlite in a temp DATA_DIR),
 * BENCH_CLIENT_WS=ws|undici (the load generator's WebSocket), BENCH_STT_DELAY_MS (default 300),
 * BENCH_PARTS=capacity,relay,pipeline,concurrency,scaleout (a subset; scaleout = bench/scaleout.ts), BENCH_OVERHEAD_BUDGET_MS (default 50),
 * BENCH_CPU_PROF=<dir> (V8 CPU profiles of the server's main thread per window), BENCH_HEAP_PROF=<dir> (sampled
 * allocations of the server's main thread per window, collected objects included), BENCH_UTTERANCE_MS (default 6000),
 * BENCH_CAPACITY_VARIANTS, BENCH_CAPACITY_LADDER, BENCH_LOADGEN_PROCESSES (part 0's load generator: processes, default 2),
 * BENCH_RECORDINGS=discard (ablation:
 * the lesson server does not write recordings, to see what that write costs).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { configSchema } from "../server/config.ts";
import { benchAudioStages } from "./audio-stages.ts";
import { benchFramePath } from "./frame-path.ts";
import { benchScaleOut } from "./scaleout.ts";
import { startChild, type ChildHandle } from "./lib/children.ts";
import { InProcessLoad, ProcessLoad, type LoadDriver } from "./lib/load-driver.ts";
import {
  FIXTURE_MS, LessonSession, closeSessions, newLoadContext, postJson, type LoadContext, type UtteranceResult,
} from "./lib/load.ts";
import { median, medianRatios, roundRatios, type RampOutcome, type RoundRatios } from "./lib/capacity-rounds.ts";
import { cpuWindow, machineFacts, pidsNamed, processCpuSeconds, processRssMb, round1 } from "./lib/proc.ts";
import { loadSdk, type ClientSocket } from "./lib/sdk.ts";
import { loopLagMs, mapLimit, sleep, summarize, withTimeout, type Summary } from "./lib/stats.ts";

const QUICK = process.env.BENCH_QUICK === "1";
const STT_DELAY_MS = Number(process.env.BENCH_STT_DELAY_MS ?? 300);
const CLIENT_WS: ClientSocket = process.env.BENCH_CLIENT_WS === "undici" ? "undici" : "ws";
const BENCH_TUTOR = { email: "bench-tutor@koto.test", password: "bench tutor password" };
/** The overhead budget of part 3 (BENCH_OVERHEAD_BUDGET_MS to explore past it). */
const OVERHEAD_BUDGET_MS = Number(process.env.BENCH_OVERHEAD_BUDGET_MS ?? 50);
/** BENCH_PARTS=relay,pipeline,concurrency (default: all three; the audio stages always run). */
const PARTS = new Set((process.env.BENCH_PARTS ?? "capacity,relay,pipeline,concurrency,scaleout").split(",").map((part) => part.trim()));
/** Part 0's budget: relay p99 (learner's frame sent → tutor has it) at which a level still counts. */
const RELAY_BUDGET_MS = Number(process.env.BENCH_RELAY_BUDGET_MS ?? 50);
/**
 * Part 0's variants (BENCH_CAPACITY_VARIANTS=lesson-uws to profile one; a ratio needs bare-uws too) and ladder
 * (BENCH_CAPACITY_LADDER=100,200). lesson-uws speaks in utterances of BENCH_UTTERANCE_MS (6 s), lesson-uws-30s in
 * utterances of the product's longest answer (30 s): the same non-stop audio with a fifth of the per-answer work.
 */
const CAPACITY_VARIANTS = (process.env.BENCH_CAPACITY_VARIANTS ?? "bare-uws,lesson-uws,lesson-uws-30s").split(",").map((variant) => variant.trim() as Variant);
const CAPACITY_LADDER = process.env.BENCH_CAPACITY_LADDER?.split(",").map(Number);
/**
 * Part 0 ramps every variant this many times (BENCH_CAPACITY_ROUNDS, default 3) and prints each round's ratio and
 * their median: one round's ratio moved 0.38–1.00 with the same code on this shared VM (docs/capacity.md §4.18).
 */
const CAPACITY_ROUNDS = Math.max(1, Number(process.env.BENCH_CAPACITY_ROUNDS ?? 3));
/**
 * Part 0's load generator runs in this many processes (BENCH_LOADGEN_PROCESSES; 0 = in this one): one
 * event loop sending and receiving every frame saturated a core at 350–500 bare sessions, before the
 * bare server did, which made the bare room's capacity (and so the ratio) a property of the generator.
 */
const LOADGEN_PROCESSES = Number(process.env.BENCH_LOADGEN_PROCESSES ?? 2);
/**
 * How long each push-to-talk utterance of a relaying lesson session lasts (BENCH_UTTERANCE_MS; default 6 s):
 * every one ends with a kept, evaluated and stored attempt, so a longer one separates the frame path's cost
 * from the per-utterance work. The product caps an utterance at MAX_UTTERANCE_SECONDS (30 s by default).
 */
const UTTERANCE_MS = Number(process.env.BENCH_UTTERANCE_MS ?? 6000);

const plan = QUICK
  ? {
      relayVariants: ["bare-uws", "lesson-uws"] as Variant[],
      relayLadder: [25, 100],
      capacityLadder: [25, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800],
      capacityMeasureMs: 3000,
      capacityWarmMs: 5000,
      relayWarmMs: 1200,
      relayMeasureMs: 3000,
      pipelineWarmUp: 2,
      pipelineCount: 10,
      rampLevels: [10, 50],
      rampWarmMs: 3000,
      rampMeasureMs: 6000,
      rampMaxMeasureMs: 8000,
      rampTargetUtterances: 40,
      rampBudgetMs: 30_000,
    }
  : {
      relayVariants: ["bare-ws", "bare-uws", "lesson-uws"] as Variant[],
      relayLadder: [25, 50, 100, 200, 300],
      capacityLadder: [25, 50, 75, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800],
      capacityMeasureMs: 6000,
      capacityWarmMs: 8000,
      relayWarmMs: 2500,
      relayMeasureMs: 8000,
      pipelineWarmUp: 3,
      pipelineCount: 40,
      rampLevels: [10, 25, 50, 100, 150, 200, 250, 300, 400],
      rampWarmMs: 4000,
      rampMeasureMs: 14_000,
      rampMaxMeasureMs: 40_000,
      rampTargetUtterances: 200,
      rampBudgetMs: 220_000,
    };

type Variant = "bare-ws" | "bare-uws" | "lesson-uws" | "lesson-uws-30s";
const LONGEST_UTTERANCE_MS = 30_000;
const utteranceMsOf = (variant: Variant) => (variant === "lesson-uws-30s" ? LONGEST_UTTERANCE_MS : UTTERANCE_MS);

const benchStarted = performance.now();
const sdk = await loadSdk(CLIENT_WS);
const loadLoop = monitorEventLoopDelay({ resolution: 5 });
loadLoop.enable();
/** The load generator's own event-loop lag (beyond the 5 ms sampling interval): high means the generator, not the server, is late. */
const loopMs = () => {
  const result = loopLagMs(loadLoop);
  loadLoop.reset();
  return result;
};

const log = (line = "") => console.log(line);
const table = (headers: string[], rows: (string | number | null | undefined)[][]) => {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? "–" : String(cell))))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row: string[]) => "  " + row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");
  log(line(cells[0]));
  log("  " + widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of cells.slice(1)) log(line(row));
};
const elapsed = () => `${Math.round((performance.now() - benchStarted) / 1000)} s`;

// ---- machine ---------------------------------------------------------------------------------------

const machine = machineFacts();
log(`KOTO Live benchmark${QUICK ? " (BENCH_QUICK=1: shortened)" : ""} — ${new Date().toISOString()}`);
log(`machine: ${machine.cores} cores, ${machine.model}, ${machine.memoryGb} GB, Linux ${machine.kernel}, load average at start ${machine.loadAverage}`);
log(`node ${machine.node} (server children and this load generator), Colyseus SDK client over ${CLIENT_WS === "ws" ? "the `ws` package" : "undici's WebSocket"}`);
log("the load generator runs on the SAME machine as the server: it takes CPU the server would otherwise have,");
log("so every figure below is conservative for a dedicated server. All traffic is 127.0.0.1.");
log(`fake speech-to-text: its own process, answers after a fixed ${STT_DELAY_MS} ms; store: ${process.env.BENCH_DATABASE_URL ? "Postgres (BENCH_DATABASE_URL)" : "PGlite in a temp DATA_DIR"}; ` +
  `recordings: ${process.env.BENCH_RECORDINGS === "discard" ? "DISCARDED (ablation)" : "files in DATA_DIR (written and fsynced)"}`);
log();

// ---- 4. audio-in stages (first: nothing else running) ----------------------------------------------

log("audio-in stages: microseconds per 20 ms frame, one core (bench/audio-stages.ts)");
const stages = await benchAudioStages();
table(["stage", "µs"], Object.entries(stages).map(([name, value]) => [name, value]));
log();

log("frame path: event-loop microseconds per learner frame, socket message -> relay sent, one session alone in its server (bench/frame-path.ts)");
const framePath = await benchFramePath();
log(`  bare Colyseus room ${framePath.bareUs} µs, lesson room ${framePath.lessonUs} µs: lesson ÷ bare ${framePath.ratio} (median of passes of 250 frames)`);
log();

// ---- children ----------------------------------------------------------------------------------------

const tempDirs: string[] = [];
// Temporary DATA_DIRs go whatever happens (children exit by themselves when this process ends).
process.on("exit", () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
const stt = await startChild("fake-stt", "fake-stt.ts", { BENCH_STT_DELAY_MS: String(STT_DELAY_MS) });
const jwtSecret = randomBytes(32).toString("hex");

async function startLessonServer(patchRateMs: number): Promise<ChildHandle> {
  const dataDir = mkdtempSync(join(tmpdir(), "koto-bench-"));
  tempDirs.push(dataDir);
  // Every variable blank first, so nothing from the caller's environment (S3, Gemini keys) leaks in.
  const env: Record<string, string> = Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, ""]));
  Object.assign(env, {
    PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, TRANSPORT: "uws", LOG_LEVEL: "warn", JWT_SECRET: jwtSecret,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? "", SERVE_WEB_CLIENT: "false", PATCH_RATE_MS: String(patchRateMs),
    STT_PROVIDER: "openai", OPENAI_STT_BASE_URL: stt.info.baseUrl, FEEDBACK_PROVIDER: "template",
    BENCH_RECORDINGS: process.env.BENCH_RECORDINGS ?? "",
    // Limits raised so that they never refuse bench traffic: what is measured is the work, not the policy.
    STT_CONCURRENCY: "256", STT_QUEUE_LIMIT: "10000", STT_TIMEOUT_MS: "20000", MAX_UTTERANCES_PER_MINUTE: "600",
    MAX_CONCURRENT_UTTERANCES: "10000", MAX_AUDIO_SECONDS_PER_LEARNER_PER_DAY: "86400", MAX_AUDIO_SECONDS_PER_DAY: "100000000",
    MAX_UTTERANCE_SECONDS: "120", MAX_AUDIO_BYTES_PER_SECOND: "1000000", GUESTS_PER_ADDRESS_PER_HOUR: "1000000",
  });
  return startChild(`koto-server patch ${patchRateMs}`, "koto-server.ts", env);
}

function context(server: ChildHandle): LoadContext {
  return newLoadContext(sdk, `http://127.0.0.1:${server.info.port}`);
}

async function tutorToken(baseUrl: string): Promise<string> {
  return (await postJson(baseUrl, "/api/auth/login", BENCH_TUTOR)).token;
}

/** The processes whose CPU the bench accounts for: the server, this generator, the fake STT and (with BENCH_DATABASE_URL) Postgres. */
function watched(server: ChildHandle): Record<string, number | number[]> {
  const pids: Record<string, number | number[]> = { server: server.pid, loadgen: process.pid, stt: stt.pid };
  if (process.env.BENCH_DATABASE_URL) pids.postgres = pidsNamed("postgres");
  return pids;
}

/** CPU the rest of the machine used in a window, in % of the whole machine (what our three processes do not explain). */
const OTHERS_LIMIT_PERCENT = 10;
type Usage = ReturnType<ReturnType<typeof cpuWindow>["stop"]>;
function othersPercent(usage: Usage): number | null {
  if (usage.machineBusyPercent === null) return null;
  const ours = Object.values(usage.cpuPercent).reduce<number>((sum, value) => sum + (value ?? 0), 0) / machine.cores;
  return Math.max(0, round1(usage.machineBusyPercent - ours));
}

/**
 * This machine may be shared (other sessions run test suites): before a measurement window, wait
 * (bounded, from one budget for the whole run) until other processes use under 10 % of it. The last
 * second of the warm-up is the first sample, so a quiet machine costs no extra time.
 */
let quietBudgetMs = QUICK ? 15_000 : 90_000;
async function warmUpAndWaitForQuiet(pids: Record<string, number | number[]>, warmMs: number): Promise<void> {
  await sleep(Math.max(0, warmMs - 1000));
  let waited = 0;
  for (;;) {
    const window = cpuWindow(pids);
    await sleep(1000);
    const others = othersPercent(window.stop());
    if (others === null || others < OTHERS_LIMIT_PERCENT || waited >= quietBudgetMs) break;
    if (waited === 0) log(`  (other processes use ${others} % of the machine: waiting up to ${Math.round(quietBudgetMs / 1000)} s for quiet)`);
    waited += 1000;
  }
  quietBudgetMs = Math.max(0, quietBudgetMs - waited);
}
/** A window other processes disturbed is measured again (once, while the quiet budget lasts). */
async function measureQuietly<T extends { othersPercent: number | null }>(measure: () => Promise<T>, server: ChildHandle): Promise<T> {
  let row = await measure();
  for (let retry = 0; retry < 1 && (row.othersPercent ?? 0) >= OTHERS_LIMIT_PERCENT && quietBudgetMs > 0; retry++) {
    log(`  (window disturbed: other processes used ${row.othersPercent} % of the machine; measuring again)`);
    await warmUpAndWaitForQuiet(watched(server), 1000);
    row = await measure();
  }
  return row;
}
const flag = (others: number | null) => (others !== null && others >= OTHERS_LIMIT_PERCENT ? `${others}!` : others);

const errorsOf = (errors: Map<string, number>) => Object.fromEntries(errors);
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

// ---- 1. relay: bare vs lesson ---------------------------------------------------------------------------

interface RelayRow {
  variant: Variant;
  sessions: number;
  connections: number;
  relayMs: Summary;
  delivered: number;
  serverCpuPercent: number | null;
  /** The server's main thread alone (its event loop: every frame, message and patch), % of one core. */
  serverEventLoopCpuPercent: number | null;
  loadgenCpuPercent: number | null;
  sttCpuPercent: number | null;
  /** Postgres server and backends (BENCH_DATABASE_URL only): outside the server process, still the server's work. */
  postgresCpuPercent: number | null;
  machineBusyPercent: number | null;
  /** CPU used by processes that are not part of the bench, % of the machine. */
  othersPercent: number | null;
  serverRssMb: number | null;
  rssGrowthMb: number | null;
  kbPerSession: number | null;
  /** RSS added per session since the previous level of the ladder (the fixed start-up growth left out). */
  marginalKbPerSession: number | null;
  serverEventLoop: { p99: number; max: number };
  /** The server's garbage-collection pauses in the window: how many, their sum and the longest. */
  serverGc: { count: number; totalMs: number; maxMs: number } | null;
  loadgenEventLoop: { p99: number; max: number };
  senderLagP99Ms: number | null;
  dbWritesPerSecond: number | null;
  dbCallP99Ms: number | null;
  utterancesPerSecond: number | null;
  errors: Record<string, number>;
  verdict: string;
}

/** A level whose sessions could not all join: nothing was measured, and it counts as over budget. */
const refusedRow = (variant: Variant, sessions: number): RelayRow => ({
  variant, sessions, connections: sessions * 2, relayMs: summarize([]), delivered: 0, serverCpuPercent: null, serverEventLoopCpuPercent: null, loadgenCpuPercent: null,
  sttCpuPercent: null, postgresCpuPercent: null, machineBusyPercent: null, othersPercent: null, serverRssMb: null, rssGrowthMb: null,
  kbPerSession: null, marginalKbPerSession: null, serverEventLoop: { p99: 0, max: 0 }, serverGc: null, loadgenEventLoop: { p99: 0, max: 0 },
  senderLagP99Ms: null, dbWritesPerSecond: null, dbCallP99Ms: null, utterancesPerSecond: null, errors: {}, verdict: "REFUSED",
});

/**
 * Adds sessions level by level and measures each level. `budgetMs` set (part 0): a level whose relay
 * p99 exceeds it, or that delivers under 99 % of frames, ends the ramp; unset (part 1): only a broken
 * level (p99 > 250 ms or under 95 % delivered) does.
 */
async function relayLadder(
  variant: Variant, ladder = plan.relayLadder, budgetMs?: number, measureMs = plan.relayMeasureMs, warmMs = plan.relayWarmMs,
  loadProcesses = 0,
): Promise<{ idleRssMb: number | null; rows: RelayRow[] }> {
  const lesson = variant.startsWith("lesson");
  const server = lesson
    ? await startLessonServer(50)
    : await startChild(`bare-server ${variant}`, "bare-server.ts", { BENCH_TRANSPORT: variant === "bare-ws" ? "ws" : "uws" });
  const baseUrl = `http://127.0.0.1:${server.info.port}`;
  const spec = { baseUrl, lesson, tutorToken: lesson ? await tutorToken(baseUrl) : "", utteranceMs: utteranceMsOf(variant) };
  const load: LoadDriver = loadProcesses > 0 ? await ProcessLoad.start(loadProcesses, spec) : new InProcessLoad(sdk, spec);
  const pids = () => ({ ...watched(server), loadgen: load.pids });
  await sleep(1000);
  await server.call("gc");
  const idleRssMb = processRssMb(server.pid);
  let opened = 0;
  const rows: RelayRow[] = [];
  log(`relay ${variant}: server idle RSS ${idleRssMb?.toFixed(1)} MB; load generator in ${loadProcesses > 0 ? `${loadProcesses} processes` : "this process"}`);
  try {
    for (const target of ladder) {
      try {
        await load.add(target - opened, opened);
      } catch (error) {
        // The server refused sessions at this level (its store timing out under the load, say): the level is
        // over budget, and the run goes on to the next variant rather than ending without a ratio.
        log(`  N=${target}: sessions could not join (${String((error as Error).message).split("\n")[0]})  -> stops here (${elapsed()})`);
        rows.push(refusedRow(variant, target));
        break;
      }
      opened = target;
      await warmUpAndWaitForQuiet(pids(), warmMs);
      const measure = async (): Promise<RelayRow> => {
        await server.call("stats");
        if (lesson) await server.call("db");
        const sttServedBefore = lesson ? await stt.call<number>("count") : 0;
        const cpu = cpuWindow(pids());
        const eventLoopCpuBefore = processCpuSeconds(server.pid, server.pid);
        if (process.env.BENCH_CPU_PROF) await server.call("profileStart");
        if (process.env.BENCH_HEAP_PROF) await server.call("heapProfileStart");
        await load.openWindow();
        await sleep(measureMs);
        await load.closeWindow();
        if (process.env.BENCH_CPU_PROF) log(`  (server profile of this window: ${await server.call("profileStop", `${variant}-${target}`)})`);
        if (process.env.BENCH_HEAP_PROF) log(`  (server allocations in this window: ${await server.call("heapProfileStop", `${variant}-${target}`)})`);
        const usage = cpu.stop();
        const eventLoopCpuAfter = processCpuSeconds(server.pid, server.pid);
        const stats = await server.call("stats");
        const db = lesson ? await server.call("db") : null;
        const sttServed = lesson ? (await stt.call<number>("count")) - sttServedBefore : 0;
        await sleep(600); // frames sent at the end of the window are still on their way
        const window = await load.results();
        const relayMs = summarize(window.relayMs);
        const delivered = window.sent ? window.delivered / window.sent : 0;
        const rssGrowthMb = usage.rssMb.server !== null && idleRssMb !== null ? usage.rssMb.server - idleRssMb : null;
        const broken = budgetMs === undefined
          ? (relayMs.p99 ?? Infinity) > 250 || delivered < 0.95
          : (relayMs.p99 ?? Infinity) > budgetMs || delivered < 0.99;
        const row: RelayRow = {
          variant, sessions: target, connections: target * 2, relayMs, delivered: Math.round(delivered * 10000) / 100,
          serverCpuPercent: usage.cpuPercent.server, loadgenCpuPercent: usage.cpuPercent.loadgen,
          serverEventLoopCpuPercent: eventLoopCpuBefore !== null && eventLoopCpuAfter !== null ? round1(((eventLoopCpuAfter - eventLoopCpuBefore) / usage.seconds) * 100) : null,
          sttCpuPercent: lesson ? usage.cpuPercent.stt : null,
          postgresCpuPercent: lesson ? usage.cpuPercent.postgres ?? null : null,
          machineBusyPercent: usage.machineBusyPercent, othersPercent: othersPercent(usage),
          serverRssMb: usage.rssMb.server === null ? null : round1(usage.rssMb.server),
          rssGrowthMb: rssGrowthMb === null ? null : round1(rssGrowthMb),
          kbPerSession: rssGrowthMb === null ? null : Math.round((rssGrowthMb * 1024) / target),
          marginalKbPerSession: null,
          serverEventLoop: stats.eventLoop, serverGc: stats.gc, loadgenEventLoop: window.loop,
          senderLagP99Ms: summarize(window.senderLagMs).p99,
          dbWritesPerSecond: db ? round1(db.writes / usage.seconds) : null, dbCallP99Ms: db?.p99 ?? null,
          utterancesPerSecond: lesson ? round1(sttServed / usage.seconds) : null,
          errors: window.errors, verdict: broken ? "BROKEN" : "ok",
        };
        return row;
      };
      let row = await measureQuietly(measure, server);
      // Part 0: one long pause (a full GC, a burst of answers ending together) can decide a 3 s window's p99;
      // a level over budget is measured once more and counts as over only if that window is too.
      if (budgetMs !== undefined && row.verdict === "BROKEN") {
        log(`  (N=${target}: relay p99 ${row.relayMs.p99} ms, over budget: measuring once more)`);
        row = await measureQuietly(measure, server);
      }
      // A failure in a window other processes disturbed does not end the ladder: it is marked and the next level runs.
      const noisy = (row.othersPercent ?? 0) >= OTHERS_LIMIT_PERCENT;
      if (row.verdict === "BROKEN" && noisy) row.verdict = "BROKEN? (noisy window)";
      const broken = row.verdict === "BROKEN";
      const previous = rows.at(-1);
      if (previous?.serverRssMb != null && row.serverRssMb !== null) {
        row.marginalKbPerSession = Math.round(((row.serverRssMb - previous.serverRssMb) * 1024) / (target - previous.sessions));
      }
      rows.push(row);
      log(`  N=${target}: relay p50 ${row.relayMs.p50} ms p99 ${row.relayMs.p99} ms, delivered ${row.delivered} %, server CPU ${row.serverCpuPercent} % (event loop ${row.serverEventLoopCpuPercent} %), ` +
        `loop lag p99 ${row.serverEventLoop.p99} ms, GC ${row.serverGc?.totalMs ?? "–"} ms (longest ${row.serverGc?.maxMs ?? "–"}), ` +
        `RSS ${row.serverRssMb} MB, load generator CPU ${row.loadgenCpuPercent} %, machine ${row.machineBusyPercent} % busy (others ${row.othersPercent} %)${broken ? "  -> stops here" : ""} (${elapsed()})`);
      if (broken) break;
    }
  } finally {
    await load.close();
    await server.stop();
  }
  return { idleRssMb, rows };
}

// ---- 0. capacity: bare vs lesson, continuously speaking sessions within the relay budget ----------------

interface CapacityResult {
  variant: Variant;
  idleRssMb: number | null;
  /** The most sessions measured with relay p99 <= budget and >= 99 % delivered; null when even the first level failed. */
  sessions: number | null;
  /** The first level over budget (null: the ladder ended first). */
  overAt: number | null;
  noisy: boolean;
  /**
   * At the level over budget a load-generator process was saturated (>= 90 % of a core on average): its
   * lateness, not the server's, may have broken the budget, so `sessions` is a lower bound. (A machine
   * that is full as a whole makes every process late, the generator too: that is the machine's limit.)
   */
  boundedByLoadGenerator: boolean;
  rows: RelayRow[];
  /** Which round of BENCH_CAPACITY_ROUNDS this ramp belongs to (ratios are taken within a round). */
  round: number;
}

/** A load-generator process this busy is a limit of its own (its one event loop sends and receives every frame of its sessions). */
const LOADGEN_SATURATED_PERCENT = 90;
const loadGeneratorSaturated = (row: RelayRow | undefined) =>
  row !== undefined && (row.loadgenCpuPercent ?? 0) / Math.max(1, LOADGEN_PROCESSES) >= LOADGEN_SATURATED_PERCENT;

async function capacityOf(variant: Variant): Promise<Omit<CapacityResult, "round">> {
  // Steady state: each level first runs long enough (5 s; 8 s in the full run) for the sessions it
  // added to have joined, started and released their first utterance (of random length up to 6 s).
  const { idleRssMb, rows } = await relayLadder(variant, CAPACITY_LADDER ?? plan.capacityLadder, RELAY_BUDGET_MS, plan.capacityMeasureMs, plan.capacityWarmMs, LOADGEN_PROCESSES);
  const within = rows.filter((row) => row.verdict === "ok");
  const over = rows.find((row) => row.verdict !== "ok");
  return {
    variant, idleRssMb, sessions: within.length ? Math.max(...within.map((row) => row.sessions)) : null,
    overAt: over?.sessions ?? null, noisy: rows.some((row) => (row.othersPercent ?? 0) >= OTHERS_LIMIT_PERCENT),
    boundedByLoadGenerator: loadGeneratorSaturated(over), rows,
  };
}

const capacity: CapacityResult[] = [];
if (PARTS.has("capacity")) {
  log(`capacity: continuously speaking sessions (16 kHz PCM, one tutor listening each; lesson utterances of ${UTTERANCE_MS / 1000} s (lesson-uws-30s: ${LONGEST_UTTERANCE_MS / 1000} s) back to back, each evaluated) within relay p99 <= ${RELAY_BUDGET_MS} ms, ${CAPACITY_ROUNDS} round(s)`);
  for (let round = 1; round <= CAPACITY_ROUNDS; round++) {
    // Each round starts with a different variant, so that none is always ramped first (or last) on a drifting machine.
    const order = CAPACITY_VARIANTS.map((_, index) => CAPACITY_VARIANTS[(index + round - 1) % CAPACITY_VARIANTS.length]);
    for (const variant of order) {
      const result = { ...(await capacityOf(variant)), round };
      capacity.push(result);
      log(`  round ${round}, ${variant}: ${result.sessions ?? "none"} sessions (over budget at ${result.overAt ?? "– (ladder ended)"}` +
        `${result.boundedByLoadGenerator ? ", where the load generator was saturated: a lower bound" : ""}), idle RSS ${result.idleRssMb?.toFixed(1)} MB (${elapsed()})`);
    }
  }
  log();
}
const rampOutcome = (result: CapacityResult): RampOutcome => ({
  round: result.round, variant: result.variant, sessions: result.sessions,
  levels: result.rows.map((row) => ({
    sessions: row.sessions, passed: row.verdict === "ok", machineBusyPercent: row.machineBusyPercent, eventLoopCpuPercent: row.serverEventLoopCpuPercent,
  })),
});
/** Per round and as the median of the rounds: the headline uses 6 s utterances, each kept, transcribed, scored and stored. */
const capacityRounds = roundRatios(capacity.map(rampOutcome), "lesson-uws");
const capacityRoundsLongUtterances = roundRatios(capacity.map(rampOutcome), "lesson-uws-30s");
const capacityRatios = medianRatios(capacityRounds);
const capacityRatiosLongUtterances = medianRatios(capacityRoundsLongUtterances);
const capacityRatio = capacityRatios.capacity;
const capacityRatioLongUtterances = capacityRatiosLongUtterances.capacity;

const relay: Record<string, { idleRssMb: number | null; rows: RelayRow[] }> = {};
if (PARTS.has("relay")) for (const variant of plan.relayVariants) relay[variant] = await relayLadder(variant);
log();

// ---- 2. pipeline overhead ----------------------------------------------------------------------------

interface OverheadResult {
  patchRateMs: number;
  utterances: number;
  notScored: number;
  othersPercent: number | null;
  clientOverheadMs: Summary;
  serverOverheadMs: Summary;
  stagesMeanMs: Record<string, number>;
  sttRoundTripBeyondDelayMs: Summary;
  /** Store calls and recording writes during the measured utterances: count, p50, p99 per method. */
  storeCalls: Record<string, { count: number; p50: number | null; p99: number | null }>;
}

async function pipelineOverhead(patchRateMs: number): Promise<OverheadResult> {
  const server = await startLessonServer(patchRateMs);
  const load = context(server);
  const token = await tutorToken(load.baseUrl);
  const session = await LessonSession.open(load, token, "bench single speaker");
  const results: UtteranceResult[] = [];
  try {
    for (let i = 0; i < plan.pipelineWarmUp; i++) await session.speak({ fast: true }); // warm-up: JIT, connections to the fake
    await warmUpAndWaitForQuiet(watched(server), 1000);
    await server.call("db");
    const cpu = cpuWindow(watched(server));
    for (let i = 0; i < plan.pipelineCount; i++) {
      results.push(await session.speak({ fast: true }));
      await sleep(50 + Math.random() * 100); // releases land at random points of the patch interval
    }
    const others = othersPercent(cpu.stop());
    const storeCalls = (await server.call("db")).byMethod;
    const scored = results.filter((result) => result.status === "scored" && result.finishedAt !== null);
    const rows: { overheadMs: number | null; stages: Record<string, number> | null }[] =
      await server.call("attempts", scored.map((result) => result.attemptId));
    const stageSums: Record<string, number> = {};
    for (const row of rows) for (const [stage, ms] of Object.entries(row.stages ?? {})) stageSums[stage] = (stageSums[stage] ?? 0) + ms;
    return {
      patchRateMs,
      utterances: results.length,
      notScored: results.length - scored.length,
      othersPercent: others,
      clientOverheadMs: summarize(scored.map((result) => result.finishedAt! - result.closedAt - STT_DELAY_MS)),
      serverOverheadMs: summarize(rows.map((row) => row.overheadMs).filter((ms): ms is number => ms !== null)),
      stagesMeanMs: Object.fromEntries(Object.entries(stageSums).map(([stage, sum]) => [stage, Math.round((sum / Math.max(1, rows.length)) * 100) / 100])),
      sttRoundTripBeyondDelayMs: summarize(rows.map((row) => (row.stages?.speechToTextMs ?? STT_DELAY_MS) - STT_DELAY_MS)),
      storeCalls,
    };
  } finally {
    await closeSessions([session]);
    await server.stop();
  }
}

const overhead: OverheadResult[] = [];
for (const patchRateMs of PARTS.has("pipeline") ? [50, 20] : []) {
  const result = await pipelineOverhead(patchRateMs);
  overhead.push(result);
  log(`pipeline overhead, PATCH_RATE_MS=${patchRateMs}: client p50 ${result.clientOverheadMs.p50} ms p95 ${result.clientOverheadMs.p95} ms; ` +
    `server-side p50 ${result.serverOverheadMs.p50} ms p95 ${result.serverOverheadMs.p95} ms (${elapsed()})`);
}
log();

// ---- 3. concurrency ramp -----------------------------------------------------------------------------

interface RampRow {
  speakers: number;
  utterances: number;
  notScored: Record<string, number>;
  utterancesPerSecond: number;
  clientOverheadMs: Summary;
  serverOverheadMs: Summary;
  relayMs: Summary;
  delivered: number;
  serverCpuPercent: number | null;
  loadgenCpuPercent: number | null;
  sttCpuPercent: number | null;
  postgresCpuPercent: number | null;
  machineBusyPercent: number | null;
  othersPercent: number | null;
  serverRssMb: number | null;
  serverEventLoop: { p99: number; max: number };
  /** The server's garbage-collection pauses in the window: how many, their sum and the longest. */
  serverGc: { count: number; totalMs: number; maxMs: number } | null;
  loadgenEventLoop: { p99: number; max: number };
  dbWritesPerSecond: number;
  dbCallP99Ms: number | null;
  recordingPutP99Ms: number | null;
  errors: Record<string, number>;
  withinBudget: boolean;
  /** Over budget, but in a window other processes disturbed. */
  inconclusive?: boolean;
}

const RAMP_PATCH_RATE_MS = 20;
/** One speaker's cycle: the fixture, the evaluation, a 0.3–1 s pause. */
const SPEAKER_CYCLE_MS = FIXTURE_MS + STT_DELAY_MS + 50 + 650;
/** Long enough for a p95 worth the name (the target utterance count), within the plan's bounds. */
const rampWindowMs = (speakers: number) =>
  Math.min(plan.rampMaxMeasureMs, Math.max(plan.rampMeasureMs, (plan.rampTargetUtterances * SPEAKER_CYCLE_MS) / speakers));

async function concurrencyRamp(): Promise<{ rows: RampRow[]; maxWithinBudget: number | null; stoppedBy: string }> {
  const server = await startLessonServer(RAMP_PATCH_RATE_MS);
  const load = context(server);
  const token = await tutorToken(load.baseUrl);
  const sessions: LessonSession[] = [];
  const loops: Promise<void>[] = [];
  const results: UtteranceResult[] = [];
  const rows: RampRow[] = [];
  const started = performance.now();
  let stoppedBy = "all levels measured";
  try {
    for (const level of plan.rampLevels) {
      if (performance.now() - started > plan.rampBudgetMs) {
        stoppedBy = `time bound (${plan.rampBudgetMs / 1000} s) reached before ${level}`;
        break;
      }
      const added = await mapLimit(range(sessions.length, level), 8, (index) => LessonSession.open(load, token, `bench speaker ${index}`));
      for (const session of added) {
        sessions.push(session);
        // Spread the first utterances over one cycle so releases do not arrive in step.
        loops.push(session.speakLoop((result) => results.push(result), Math.random() * (FIXTURE_MS + 1000)));
      }
      await warmUpAndWaitForQuiet(watched(server), plan.rampWarmMs);
      const measure = async (): Promise<RampRow & { failedShare: number }> => {
        await server.call("stats");
        await server.call("db");
        load.errors.clear();
        loopMs();
        const cpu = cpuWindow(watched(server));
        load.window.open();
        const windowStart = performance.now();
        await sleep(rampWindowMs(level));
        load.window.close();
        const windowEnd = performance.now();
        const usage = cpu.stop();
        const loadgenLoop = loopMs();
        const stats = await server.call("stats");
        const db = await server.call("db");
        // Utterances released inside the window that are still being evaluated: wait for them (bounded).
        for (let waited = 0; waited < 8000; waited += 100) {
          if (!sessions.some((session) => session.awaitingSince !== null && session.awaitingSince >= windowStart && session.awaitingSince < windowEnd)) break;
          await sleep(100);
        }
        const inWindow = results.filter((result) => result.closedAt >= windowStart && result.closedAt < windowEnd);
        const scored = inWindow.filter((result) => result.status === "scored" && result.finishedAt !== null);
        const notScored: Record<string, number> = {};
        for (const result of inWindow) if (result.status !== "scored") notScored[result.status] = (notScored[result.status] ?? 0) + 1;
        const serverRows: { overheadMs: number | null }[] = await server.call("attempts", scored.map((result) => result.attemptId), 60_000);
        const clientOverheadMs = summarize(scored.map((result) => result.finishedAt! - result.closedAt - STT_DELAY_MS));
        const failedShare = inWindow.length ? (inWindow.length - scored.length) / inWindow.length : 1;
        const withinBudget = (clientOverheadMs.p95 ?? Infinity) <= OVERHEAD_BUDGET_MS && failedShare < 0.02;
        const row: RampRow = {
          speakers: level, utterances: inWindow.length, notScored, utterancesPerSecond: round1(inWindow.length / usage.seconds),
          clientOverheadMs, serverOverheadMs: summarize(serverRows.map((r) => r.overheadMs).filter((ms): ms is number => ms !== null)),
          relayMs: summarize(load.window.relayMs.values()),
          delivered: load.window.sent ? Math.round((load.window.delivered / load.window.sent) * 10000) / 100 : 0,
          serverCpuPercent: usage.cpuPercent.server, loadgenCpuPercent: usage.cpuPercent.loadgen,
          sttCpuPercent: usage.cpuPercent.stt,
          postgresCpuPercent: usage.cpuPercent.postgres ?? null,
          machineBusyPercent: usage.machineBusyPercent, othersPercent: othersPercent(usage),
          serverRssMb: usage.rssMb.server === null ? null : round1(usage.rssMb.server),
          serverEventLoop: stats.eventLoop, serverGc: stats.gc, loadgenEventLoop: loadgenLoop,
          dbWritesPerSecond: round1(db.writes / usage.seconds), dbCallP99Ms: db.p99,
          recordingPutP99Ms: db.byMethod["recordings.put"]?.p99 ?? null, errors: errorsOf(load.errors), withinBudget,
        };
        return { ...row, failedShare };
      };
      const { failedShare, ...row } = await measureQuietly(measure, server);
      const { clientOverheadMs, withinBudget } = row;
      rows.push(row);
      log(`  ${level} speakers: overhead p50 ${clientOverheadMs.p50} ms p95 ${clientOverheadMs.p95} ms (server-side p95 ${row.serverOverheadMs.p95} ms), ` +
        `${row.utterancesPerSecond} utt/s, server CPU ${row.serverCpuPercent} %, machine ${row.machineBusyPercent} % busy (others ${row.othersPercent} %) (${elapsed()})`);
      if (!withinBudget && (row.othersPercent ?? 0) >= OTHERS_LIMIT_PERCENT) {
        log(`  (${level} speakers: over budget in a window other processes disturbed; not conclusive, going on)`);
        row.inconclusive = true;
        continue;
      }
      if (!withinBudget) {
        stoppedBy = `overhead p95 ${clientOverheadMs.p95} ms > ${OVERHEAD_BUDGET_MS} ms${failedShare >= 0.02 ? ` or ${Math.round(failedShare * 100)} % not scored` : ""} at ${level}`;
        break;
      }
    }
  } finally {
    await closeSessions(sessions);
    await withTimeout(Promise.allSettled(loops), 25_000, "speaker loops").catch(() => {});
    load.pacer.stop();
    await server.stop();
  }
  const passing = rows.filter((row) => row.withinBudget).map((row) => row.speakers);
  return { rows, maxWithinBudget: passing.length ? Math.max(...passing) : null, stoppedBy };
}

let ramp: Awaited<ReturnType<typeof concurrencyRamp>> = { rows: [], maxWithinBudget: null, stoppedBy: "not run (BENCH_PARTS)" };
if (PARTS.has("concurrency")) {
  log(`concurrency: speakers at once (each: the 3 s fixture in real time, release, wait for the score, pause 0.3–1 s), PATCH_RATE_MS=${RAMP_PATCH_RATE_MS}`);
  ramp = await concurrencyRamp();
}
log();

// ---- 5. scale-out: 1 vs 2 processes (bench/scaleout.ts) ------------------------------------------------

const scaleOut = PARTS.has("scaleout")
  ? await benchScaleOut({ sdk, quick: QUICK, sttBaseUrl: stt.info.baseUrl, log, table, bareCpuAt: (n) => relay["bare-uws"]?.rows.find((row) => row.sessions === n)?.serverCpuPercent })
  : null;
log();

await stt.stop();

// ---- summary ---------------------------------------------------------------------------------------------

log("=".repeat(100));
log(`SUMMARY — ${machine.cores} cores (${machine.model}), node ${machine.node}, load generator on the same machine, total ${elapsed()}`);
log();
log(`"others %": CPU of processes outside the bench during the window, % of the machine; "!" marks >= ${OTHERS_LIMIT_PERCENT} % (a noisy window).`);
log("\"loop p99\": the server's event-loop lag p99 in ms. CPU %: 100 = one core; machine %: 100 = all cores.");
log();
if (capacity.length) {
  log(`0. Capacity: continuously speaking sessions (learner streams 16 kHz PCM16 non-stop, a tutor listens) with relay p99 <= ${RELAY_BUDGET_MS} ms and >= 99 % delivered`);
  table(["round", "variant", "sessions", "over budget at", "idle RSS MB", "ladder (N: relay p99 ms / server CPU % / its event loop % / others %)", "noisy", "load generator bound"],
    capacity.map((c) => [c.round, c.variant, c.sessions, c.overAt, c.idleRssMb?.toFixed(1),
      c.rows.map((row) => row.verdict === "REFUSED" ? `${row.sessions}: refused` : `${row.sessions}: ${row.relayMs.p99}/${row.serverCpuPercent}/${row.serverEventLoopCpuPercent}/${row.othersPercent}`).join(", "), c.noisy ? "yes" : "no",
      c.boundedByLoadGenerator ? "yes" : "no"]));
  const byRound = (rounds: RoundRatios[]) => rounds.map((round) => `${round.capacity ?? "–"}`).join(", ");
  const costs = (rounds: RoundRatios[]) => rounds.map((round) => `${round.costPerSession ?? "–"} / ${round.eventLoopPerSession ?? "–"} at ${round.atSessions ?? "–"}`).join(", ");
  const rss = (variant: Variant) => median(capacity.filter((c) => c.variant === variant && c.idleRssMb !== null).map((c) => c.idleRssMb!));
  const [bareRss, lessonRss] = [rss("bare-uws"), rss("lesson-uws")];
  log(`   lesson ÷ bare capacity, median of ${CAPACITY_ROUNDS} round(s): ${capacityRatio ?? "–"} with ${UTTERANCE_MS / 1000} s utterances (goal >= 0.75; rounds: ${byRound(capacityRounds)}); ` +
    `${capacityRatioLongUtterances ?? "–"} with ${LONGEST_UTTERANCE_MS / 1000} s utterances (rounds: ${byRound(capacityRoundsLongUtterances)}); idle RSS lesson ÷ bare: ${
    bareRss && lessonRss ? (lessonRss / bareRss).toFixed(2) : "–"} (goal <= 2)`);
  log(`   CPU per session, lesson ÷ bare, at the largest level both passed (the whole machine / the server's event loop): ${capacityRatios.costPerSession ?? "–"} / ${
    capacityRatios.eventLoopPerSession ?? "–"} with ${UTTERANCE_MS / 1000} s utterances (rounds: ${costs(capacityRounds)}); ${capacityRatiosLongUtterances.costPerSession ?? "–"} / ${
    capacityRatiosLongUtterances.eventLoopPerSession ?? "–"} with ${LONGEST_UTTERANCE_MS / 1000} s (rounds: ${costs(capacityRoundsLongUtterances)})`);
  const bare = capacity.find((c) => c.variant === "bare-uws" && c.boundedByLoadGenerator);
  if (bare?.boundedByLoadGenerator) {
    log(`   the bare room's figure is a lower bound (where it failed, the load generator used >= ${LOADGEN_SATURATED_PERCENT} % of a core per process),`);
    log("   so these ratios are upper bounds: BENCH_LOADGEN_PROCESSES (default 2) spreads it further, or give it cores of its own");
  }
  log("   the ladder's steps bound the precision: a capacity of N means N passed and the next step did not;");
  log("   \"noisy\": other processes used >= 10 % of the machine in some window, so the figure is a lower bound");
  log();
}
log("1. Relay: 1 learner streaming 640-byte PCM16 frames every 20 ms + 1 tutor/spectator receiving the relay, per session");
log("   (lesson: push-to-talk utterances of 6 s back to back through decode + VAD + relay, each then scored; patchRate 50)");
const baseline = (variant: Variant, sessions: number) => relay[variant]?.rows.find((row) => row.sessions === sessions);
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? (a / b).toFixed(2) : null);
table(
  ["variant", "N", "relay p50", "p99", "deliv %", "server CPU %", "RSS MB", "KB/session", "marginal KB", "loop p99", "loadgen CPU %", "machine %", "others %", "cpu x bare-uws", "rss-growth x bare-uws"],
  Object.values(relay).flatMap(({ rows }) => rows.map((row) => {
    const bare = baseline("bare-uws", row.sessions);
    return [
      row.variant, row.sessions, row.relayMs.p50, row.relayMs.p99, row.delivered, row.serverCpuPercent, row.serverRssMb, row.kbPerSession, row.marginalKbPerSession,
      row.serverEventLoop.p99, row.loadgenCpuPercent, row.machineBusyPercent, flag(row.othersPercent),
      row.variant === "bare-uws" ? "1.00" : ratio(row.serverCpuPercent, bare?.serverCpuPercent),
      row.variant === "bare-uws" ? "1.00" : ratio(row.rssGrowthMb, bare?.rssGrowthMb),
    ];
  })),
);
log("   idle server RSS (MB, before any session): " + Object.entries(relay).map(([variant, { idleRssMb }]) => `${variant} ${idleRssMb?.toFixed(1)}`).join(", ") +
  "; KB/session = (RSS - idle) / N, marginal = RSS added per session since the previous N");
const lessonRows = relay["lesson-uws"]?.rows ?? [];
if (lessonRows.length) {
  log("   lesson room extras:");
  table(["N", "utterances/s", "DB writes/s", "DB call p99 ms", "Postgres CPU %", "fake-STT CPU %", "errors"],
    lessonRows.map((row) => [row.sessions, row.utterancesPerSecond, row.dbWritesPerSecond, row.dbCallP99Ms, row.postgresCpuPercent, row.sttCpuPercent, JSON.stringify(row.errors)]));
}
log();
log(`2. Pipeline overhead: push-to-talk release -> attempt "scored" in the learner's state, minus the fake STT's ${STT_DELAY_MS} ms`);
log("   client = measured at the client (includes WAV storage, DB writes, STT HTTP round trip beyond the delay, and the wait for the next patch);");
log("   server-side = the room's own evaluation.overheadMs (trim + scoring + store + state; excludes STT and feedback calls, storage and patch wait)");
table(["PATCH_RATE_MS", "utterances", "others %", "client p50", "client p95", "client max", "server p50", "server p95", "STT HTTP beyond delay p50", "stages mean (ms)"],
  overhead.map((result) => [
    result.patchRateMs, result.utterances - result.notScored, flag(result.othersPercent), result.clientOverheadMs.p50, result.clientOverheadMs.p95, result.clientOverheadMs.max,
    result.serverOverheadMs.p50, result.serverOverheadMs.p95, result.sttRoundTripBeyondDelayMs.p50,
    Object.entries(result.stagesMeanMs).filter(([stage]) => stage !== "speechToTextMs").map(([stage, ms]) => `${stage.replace(/Ms$/, "")} ${ms}`).join(", "),
  ]));
log("   on the critical path before the score reaches state (p50 / p99 ms): " + overhead.map((result) => {
  const call = (name: string) => `${name} ${result.storeCalls[name]?.p50 ?? "–"} / ${result.storeCalls[name]?.p99 ?? "–"}`;
  return `patch ${result.patchRateMs}: ${call("recordings.put")}, ${call("saveRecording")}, ${call("updateAttempt")}`;
}).join("; "));
log();
log(`3. Concurrency (PATCH_RATE_MS=${RAMP_PATCH_RATE_MS}): speakers at once, each with a tutor watching; budget: client overhead p95 <= ${OVERHEAD_BUDGET_MS} ms`);
table(["speakers", "utt/s", "overhead p50", "p95", "server p95", "relay p99", "server CPU %", "PG CPU %", "RSS MB", "loop p99", "DB writes/s", "DB p99", "WAV put p99", "loadgen CPU %", "machine %", "others %", "not scored", "ok"],
  ramp.rows.map((row) => [
    row.speakers, row.utterancesPerSecond, row.clientOverheadMs.p50, row.clientOverheadMs.p95, row.serverOverheadMs.p95, row.relayMs.p99,
    row.serverCpuPercent, row.postgresCpuPercent, row.serverRssMb, row.serverEventLoop.p99, row.dbWritesPerSecond, row.dbCallP99Ms, row.recordingPutP99Ms,
    row.loadgenCpuPercent, row.machineBusyPercent, flag(row.othersPercent),
    Object.keys(row.notScored).length ? JSON.stringify(row.notScored) : 0, row.withinBudget ? "yes" : row.inconclusive ? "NO (noisy)" : "NO",
  ]));
log(`   max speakers at once with overhead p95 <= ${OVERHEAD_BUDGET_MS} ms: ${ramp.maxWithinBudget ?? "none"} (stopped: ${ramp.stoppedBy})`);
log();
if (scaleOut) {
  log();
  scaleOut.print();
}
log("4. Audio-in stages (µs per 20 ms frame, one core): " + Object.entries(stages).map(([name, value]) => `${name} ${value}`).join(", "));

const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const output = {
  generatedAt: new Date().toISOString(),
  quick: QUICK,
  machine,
  loadGenerator: { sameMachine: true, clientWebSocket: CLIENT_WS, process: "bench/run.ts (parent)" },
  settings: {
    parts: [...PARTS], sttDelayMs: STT_DELAY_MS, store: process.env.BENCH_DATABASE_URL ? "postgres" : "pglite",
    recordings: process.env.BENCH_RECORDINGS === "discard" ? "discarded" : "files", plan, overheadBudgetMs: OVERHEAD_BUDGET_MS },
  audioStagesUs: stages,
  framePathUs: framePath,
  capacity: {
    relayBudgetMs: RELAY_BUDGET_MS, rounds: CAPACITY_ROUNDS, lessonOverBare: capacityRatio, lessonLongUtterancesOverBare: capacityRatioLongUtterances,
    /** Medians of the rounds: capacity, machine CPU per session and event-loop CPU per session, lesson ÷ bare. */
    medians: { lesson: capacityRatios, lessonLongUtterances: capacityRatiosLongUtterances },
    byRound: { lesson: capacityRounds, lessonLongUtterances: capacityRoundsLongUtterances }, variants: capacity,
  },
  relay,
  pipelineOverhead: overhead,
  concurrency: { patchRateMs: RAMP_PATCH_RATE_MS, ...ramp },
  scaleOut,
  totalSeconds: Math.round((performance.now() - benchStarted) / 1000),
};
writeFileSync(join(resultsDir, "latest.json"), JSON.stringify(output, null, 2) + "\n");
const stamp = output.generatedAt.replace(/[:.]/g, "-");
writeFileSync(join(resultsDir, `run-${stamp}-${QUICK ? "quick" : "full"}-${output.settings.store}.json`), JSON.stringify(output, null, 2) + "\n");
log(`\nresults written to bench/results/latest.json (${elapsed()})`);
process.exit(0);
