/**
 * Where the load generator's sessions live: in this process (`InProcessLoad`), or spread over
 * several bench children (`ProcessLoad`, BENCH_LOADGEN_PROCESSES) so that the generator is not one
 * event loop at 100 % of a core before the server it measures is (the bare room's capacity was
 * bounded by exactly that). A session — its learner and its listener — always lives in one process,
 * so relay latency is still measured against one clock.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startChild, type ChildHandle } from "./children.ts";
import { BareSession, LessonSession, closeSessions, newLoadContext, type LoadContext } from "./load.ts";
import { loopLagMs, mapLimit } from "./stats.ts";

export interface SessionSpec {
  baseUrl: string;
  lesson: boolean;
  /** The bench tutor's token (lesson sessions). */
  tutorToken: string;
  /** Lesson sessions: how long each push-to-talk utterance lasts. */
  utteranceMs: number;
}

export interface WindowResult {
  relayMs: number[];
  senderLagMs: number[];
  sent: number;
  delivered: number;
  errors: Record<string, number>;
  /** The generator's own event-loop lag in the window (the worst of its processes). */
  loop: { p99: number; max: number };
}

export interface LoadDriver {
  /** Every process the generator runs in (its CPU is the generator's). */
  readonly pids: number[];
  /** Opens sessions number `from` to `from + count - 1`. */
  add(count: number, from: number): Promise<void>;
  openWindow(): Promise<void>;
  closeWindow(): Promise<void>;
  /** What the window measured, once frames sent at its end have had time to arrive. */
  results(): Promise<WindowResult>;
  close(): Promise<void>;
}

export class InProcessLoad implements LoadDriver {
  readonly pids = [process.pid];
  private readonly context: LoadContext;
  private readonly sessions: (BareSession | LessonSession)[] = [];
  private readonly loop = monitorEventLoopDelay({ resolution: 5 });

  constructor(sdk: typeof import("@colyseus/sdk"), private readonly spec: SessionSpec) {
    this.context = newLoadContext(sdk, spec.baseUrl);
    this.loop.enable();
  }

  async add(count: number, from: number): Promise<void> {
    const added = await mapLimit(Array.from({ length: count }, (_, i) => from + i), 8, async (index) => {
      if (!this.spec.lesson) return BareSession.open(this.context);
      const session = await LessonSession.open(this.context, this.spec.tutorToken, `bench learner ${index}`);
      session.relay(this.spec.utteranceMs);
      return session;
    });
    this.sessions.push(...added);
  }

  async openWindow(): Promise<void> {
    this.context.errors.clear();
    this.loop.reset();
    this.context.window.open();
  }

  async closeWindow(): Promise<void> {
    this.context.window.close();
  }

  async results(): Promise<WindowResult> {
    const { window } = this.context;
    return {
      relayMs: Array.from(window.relayMs.values()), senderLagMs: Array.from(window.senderLagMs.values()),
      sent: window.sent, delivered: window.delivered, errors: Object.fromEntries(this.context.errors),
      loop: loopLagMs(this.loop),
    };
  }

  async close(): Promise<void> {
    await closeSessions(this.sessions);
    this.sessions.length = 0;
    this.context.pacer.stop();
    this.loop.disable();
  }
}

/** Sessions spread round-robin over `count` bench children, each running an InProcessLoad. */
export class ProcessLoad implements LoadDriver {
  private constructor(private readonly workers: ChildHandle[]) {}

  static async start(count: number, spec: SessionSpec): Promise<ProcessLoad> {
    const workers = await Promise.all(Array.from({ length: count }, (_, i) => startChild(`load-worker ${i + 1}`, "load-worker.ts", {})));
    await Promise.all(workers.map((worker) => worker.call("init", spec)));
    return new ProcessLoad(workers);
  }

  get pids(): number[] {
    return this.workers.map((worker) => worker.pid);
  }

  async add(count: number, from: number): Promise<void> {
    const share = (i: number) => Math.floor(count / this.workers.length) + (i < count % this.workers.length ? 1 : 0);
    let next = from;
    await Promise.all(this.workers.map((worker, i) => {
      const first = next;
      next += share(i);
      return worker.call("add", { count: share(i), from: first }, 120_000);
    }));
  }

  async openWindow(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.call("openWindow")));
  }

  async closeWindow(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.call("closeWindow")));
  }

  async results(): Promise<WindowResult> {
    const parts = await Promise.all(this.workers.map((worker) => worker.call<WindowResult>("results")));
    const errors: Record<string, number> = {};
    for (const part of parts) for (const [code, n] of Object.entries(part.errors)) errors[code] = (errors[code] ?? 0) + n;
    return {
      relayMs: parts.flatMap((part) => part.relayMs), senderLagMs: parts.flatMap((part) => part.senderLagMs),
      sent: parts.reduce((sum, part) => sum + part.sent, 0), delivered: parts.reduce((sum, part) => sum + part.delivered, 0),
      errors, loop: { p99: Math.max(...parts.map((part) => part.loop.p99)), max: Math.max(...parts.map((part) => part.loop.max)) },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.call("close", undefined, 60_000).catch(() => {})));
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }
}
