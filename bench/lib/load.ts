/**
 * The load generator: sessions of one learner streaming 20 ms PCM16 frames (640 bytes, 16 kHz, the
 * speech fixture looped) and one listener receiving the relay, against either the bare room or
 * the lesson room. One pacer sends every learner's frames on its own real-time schedule (phases
 * spread over the 20 ms period, as independent microphones would be).
 *
 * Relay latency is sequence bookkeeping: the learner records when it sent frame `seq` of an
 * utterance; the listener reads `seq` back out of the relayed frame and looks the time up. Sender
 * and receiver are in this process, so both times come from the same clock.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Room } from "@colyseus/sdk";
import { decodeWav, int16ToBytesLE } from "../../server/speech/audio/index.ts";
import { mapLimit, Samples, sleep, withTimeout } from "./stats.ts";

export const FRAME_MS = 20;
const FRAME_SAMPLES = 320;
export const LESSON_ID = "ko-en-01-greetings";
/** The learner (role B) answers step 1 first; the near-miss transcript keeps them there. */
export const LEARNER_STEP = 1;

const speech = decodeWav(new Uint8Array(readFileSync(new URL("../../test/fixtures/audio/annyeonghaseyo.wav", import.meta.url)))).samples;
/** The fixture (3 s of Korean speech with its silences) as 640-byte PCM16 payloads. */
export const PCM_PAYLOADS: Uint8Array[] = [];
for (let offset = 0; offset < speech.length; offset += FRAME_SAMPLES) {
  const frame = new Int16Array(FRAME_SAMPLES);
  frame.set(speech.subarray(offset, offset + FRAME_SAMPLES));
  PCM_PAYLOADS.push(int16ToBytesLE(frame));
}
export const FIXTURE_MS = PCM_PAYLOADS.length * FRAME_MS;

/** `[uint32 LE sequence][payload]`, the wire format of protocol.md. */
function wireFrame(sequence: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + payload.length);
  new DataView(frame.buffer).setUint32(0, sequence, true);
  frame.set(payload, 4);
  return frame;
}

const readSequence = (bytes: Uint8Array, offset: number) =>
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);

/** What one measurement window collects. Frames count when they were *sent* inside the window. */
export class MeasureWindow {
  start = Infinity;
  end = Infinity;
  readonly relayMs = new Samples();
  /** How late the generator sent frames against their real-time schedule. */
  readonly senderLagMs = new Samples();
  sent = 0;
  delivered = 0;

  open(): void {
    this.relayMs.clear();
    this.senderLagMs.clear();
    this.sent = 0;
    this.delivered = 0;
    this.start = performance.now();
    this.end = Infinity;
  }

  close(): void {
    this.end = performance.now();
  }

  holds(time: number): boolean {
    return time >= this.start && time < this.end;
  }

  received(sentAt: number): void {
    if (!this.holds(sentAt)) return;
    this.delivered++;
    this.relayMs.push(performance.now() - sentAt);
  }
}

/** Anything that sends frames on a 20 ms schedule. */
export interface Paced {
  nextDue: number;
  streaming: boolean;
  sendFrame(now: number, due: number): void;
}

/** One timer drives every stream; a stream late by more than 200 ms skips ahead (a bounded backlog). */
export class Pacer {
  private readonly streams = new Set<Paced>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly window: MeasureWindow) {}

  add(stream: Paced, phaseMs = Math.random() * FRAME_MS): void {
    stream.nextDue = performance.now() + phaseMs;
    this.streams.add(stream);
    this.timer ??= setInterval(() => this.tick(), 2);
  }

  remove(stream: Paced): void {
    this.streams.delete(stream);
  }

  private tick(): void {
    const now = performance.now();
    for (const stream of this.streams) {
      let burst = 0;
      while (stream.streaming && stream.nextDue <= now && burst++ < 10) {
        if (this.window.holds(now)) this.window.senderLagMs.push(now - stream.nextDue);
        stream.sendFrame(now, stream.nextDue);
        stream.nextDue += FRAME_MS;
      }
      if (stream.nextDue < now - 200) stream.nextDue = now;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.streams.clear();
  }
}

export interface LoadContext {
  sdk: typeof import("@colyseus/sdk");
  baseUrl: string;
  pacer: Pacer;
  window: MeasureWindow;
  /** Error codes the server sent to load-generator clients, counted. */
  errors: Map<string, number>;
}

/** A context of its own (pacer, measurement window, error counts) for sessions against `baseUrl`. */
export function newLoadContext(sdk: typeof import("@colyseus/sdk"), baseUrl: string): LoadContext {
  const window = new MeasureWindow();
  return { sdk, baseUrl, pacer: new Pacer(window), window, errors: new Map() };
}

/** Closes sessions, 32 at a time, giving up after 30 s (a server that no longer answers must not hold the bench). */
export async function closeSessions(sessions: { close(): Promise<void> }[]): Promise<void> {
  await withTimeout(mapLimit(sessions, 32, (session) => session.close()), 30_000, "closing sessions").catch(() => {});
}

function countError(context: LoadContext, payload: { code?: string }): void {
  const code = payload?.code ?? "UNKNOWN";
  context.errors.set(code, (context.errors.get(code) ?? 0) + 1);
}

// ---- bare room -----------------------------------------------------------------------------------

export class BareSession implements Paced {
  nextDue = 0;
  streaming = true;
  private sequence = 0;
  private readonly sentAt = new Float64Array(4096);

  private constructor(private readonly context: LoadContext, readonly learner: Room, readonly spectator: Room) {
    spectator.onMessage("relay", (bytes: Uint8Array) => {
      const sequence = readSequence(bytes, 0);
      context.window.received(this.sentAt[sequence & 4095]);
    });
    for (const room of [learner, spectator]) room.onMessage("*", () => {});
  }

  static async open(context: LoadContext): Promise<BareSession> {
    const client = new context.sdk.Client(context.baseUrl);
    const learner = await client.create("bare", {});
    const spectator = await client.joinById(learner.roomId, {});
    const session = new BareSession(context, learner, spectator);
    context.pacer.add(session);
    return session;
  }

  sendFrame(now: number): void {
    const sequence = this.sequence++;
    this.sentAt[sequence & 4095] = now;
    if (this.context.window.holds(now)) this.context.window.sent++;
    this.learner.sendBytes("audio", wireFrame(sequence, PCM_PAYLOADS[sequence % PCM_PAYLOADS.length]));
  }

  async close(): Promise<void> {
    this.streaming = false;
    this.context.pacer.remove(this);
    await Promise.allSettled([this.learner.leave(true), this.spectator.leave(true)]);
  }
}

// ---- lesson room ---------------------------------------------------------------------------------

export interface UtteranceResult {
  attemptId: string;
  closedAt: number;
  finishedAt: number | null;
  status: string;
}

const FINISHED = new Set(["scored", "failed", "awaiting-tutor"]);

export async function postJson(baseUrl: string, path: string, body: unknown): Promise<any> {
  const response = await fetch(baseUrl + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export function waitForState(room: Room, condition: (state: any) => boolean, what: string, timeoutMs: number): Promise<void> {
  const check = (state: any) => {
    try {
      return condition(state);
    } catch {
      return false;
    }
  };
  if (room.state && check(room.state)) return Promise.resolve();
  return withTimeout(new Promise<void>((resolve) => {
    const listener = (state: any) => {
      if (!check(state)) return;
      room.onStateChange.remove(listener);
      resolve();
    };
    room.onStateChange(listener);
  }), timeoutMs, what);
}

/**
 * One lesson session: a guest learner who created the room and started the lesson, and the bench
 * tutor watching it. Two ways to speak:
 * - `relay()`: continuous push-to-talk utterances of `framesPerUtterance` frames, closed and reopened
 *   back to back (100 % talk time: the worst case for the relay path, with evaluations running).
 * - `speak()`: one utterance of the fixture (real time or faster), released, then waits until the
 *   attempt is finished in the learner's state.
 */
export class LessonSession implements Paced {
  nextDue = 0;
  streaming = false;
  private attemptId: string | null = null;
  private sequence = 0;
  private payloadIndex = 0;
  private readonly sentAt = new Map<string, Float64Array>();
  private framesPerUtterance = 0;
  private framesLeft = 0;
  private streamDone: (() => void) | null = null;
  private pending: { id: string; resolve: (status: string) => void } | null = null;
  private openRefused = false;
  private relaying = false;
  private firstUtterance = true;
  private utteranceLimit = 0;
  private stopped = false;
  /** When the release of the utterance still being evaluated was sent; null when none is. */
  awaitingSince: number | null = null;

  private constructor(private readonly context: LoadContext, readonly learner: Room, readonly tutor: Room) {
    tutor.onMessage("learner-audio", (bytes: Uint8Array) => {
      const idLength = bytes[0];
      const id = Buffer.from(bytes.buffer, bytes.byteOffset + 1, idLength).toString("latin1");
      const times = this.sentAt.get(id);
      const sequence = readSequence(bytes, 1 + idLength);
      if (times && sequence < times.length && times[sequence] > 0) context.window.received(times[sequence]);
    });
    learner.onMessage("error", (payload: { code?: string; type?: string }) => {
      countError(context, payload);
      if (payload?.type === "utterance-open") this.openRefused = true;
      if (payload?.code === "UTTERANCE_TOO_LONG") this.attemptId = null;
    });
    tutor.onMessage("error", (payload: { code?: string }) => countError(context, payload));
    for (const room of [learner, tutor]) room.onMessage("*", () => {});
    learner.onStateChange((state: any) => {
      const pending = this.pending;
      if (!pending) return;
      const attempt = state.attempts?.find((candidate: { id: string }) => candidate.id === pending.id);
      if (attempt && FINISHED.has(attempt.status)) {
        this.pending = null;
        pending.resolve(attempt.status);
      }
    });
  }

  static async open(context: LoadContext, tutorToken: string, name: string): Promise<LessonSession> {
    const guest = await postJson(context.baseUrl, "/api/auth/guest", { name });
    const client = new context.sdk.Client(context.baseUrl);
    const learner = await client.create("lesson", { lessonId: LESSON_ID, token: guest.token, platform: "other" });
    learner.send("start");
    await waitForState(learner, (s) => s.phase === "running" && s.currentStep === LEARNER_STEP, "lesson start", 15_000);
    const tutor = await client.joinById(learner.roomId, { token: tutorToken, platform: "other" });
    return new LessonSession(context, learner, tutor);
  }

  private openUtterance(frames: number): string {
    const id = randomUUID();
    this.sentAt.set(id, new Float64Array(frames));
    // Keep the send times of the last few utterances only (late relays of older ones are not counted).
    if (this.sentAt.size > 4) this.sentAt.delete(this.sentAt.keys().next().value!);
    this.attemptId = id;
    this.sequence = 0;
    this.openRefused = false;
    this.learner.send("utterance-open", { codec: "pcm16", sampleRate: 16000, mode: "push-to-talk", attemptId: id });
    return id;
  }

  private sendNext(now: number): void {
    const id = this.attemptId!;
    const sequence = this.sequence++;
    const times = this.sentAt.get(id)!;
    if (sequence < times.length) times[sequence] = now;
    if (this.context.window.holds(now)) this.context.window.sent++;
    this.learner.sendBytes("audio", wireFrame(sequence, PCM_PAYLOADS[this.payloadIndex++ % PCM_PAYLOADS.length]));
  }

  sendFrame(now: number): void {
    if (this.relaying) {
      if (!this.attemptId) {
        this.openUtterance(this.framesPerUtterance);
        // The first utterance has a random length, so sessions started together do not release together.
        this.utteranceLimit = this.firstUtterance
          ? Math.max(25, Math.ceil(Math.random() * this.framesPerUtterance))
          : this.framesPerUtterance;
        this.firstUtterance = false;
      }
      this.sendNext(now);
      if (this.sequence >= this.utteranceLimit) {
        this.learner.send("utterance-close");
        this.attemptId = null;
      }
      return;
    }
    this.sendNext(now);
    if (--this.framesLeft <= 0) {
      this.streaming = false;
      this.streamDone?.();
    }
  }

  /** Continuous real-time talk in utterances of `utteranceMs`, until `close()`. */
  relay(utteranceMs: number): void {
    this.framesPerUtterance = Math.round(utteranceMs / FRAME_MS);
    this.relaying = true;
    this.streaming = true;
    this.context.pacer.add(this);
  }

  /**
   * Says the fixture once and releases; resolves with when the release was sent, when the attempt
   * was finished in state, and how it ended. `fast` streams in bursts of 25 frames (then waits
   * `settleMs` so the server is idle when the release arrives); otherwise real time.
   */
  async speak(options: { fast: boolean; settleMs?: number; timeoutMs?: number }): Promise<UtteranceResult> {
    const frames = PCM_PAYLOADS.length;
    const id = this.openUtterance(frames);
    this.payloadIndex = 0;
    if (options.fast) {
      for (let index = 0; index < frames; index++) {
        this.sendNext(performance.now());
        if (index % 25 === 24) await sleep(5);
      }
      await sleep(options.settleMs ?? 150);
    } else {
      this.framesLeft = frames;
      const done = new Promise<void>((resolve) => (this.streamDone = resolve));
      this.streaming = true;
      this.context.pacer.add(this, 0);
      await done;
      this.context.pacer.remove(this);
      this.streamDone = null;
    }
    if (this.stopped) return { attemptId: id, closedAt: performance.now(), finishedAt: null, status: "stopped" };
    const finished = new Promise<string>((resolve) => (this.pending = { id, resolve }));
    const closedAt = performance.now();
    if (this.openRefused) {
      this.pending = null;
      return { attemptId: id, closedAt, finishedAt: null, status: "refused" };
    }
    this.learner.send("utterance-close");
    this.awaitingSince = closedAt;
    try {
      const status = await withTimeout(finished, options.timeoutMs ?? 20_000, `attempt ${id}`);
      return { attemptId: id, closedAt, finishedAt: performance.now(), status };
    } catch {
      this.pending = null;
      return { attemptId: id, closedAt, finishedAt: null, status: "timeout" };
    } finally {
      this.awaitingSince = null;
    }
  }

  /** Speaks, pauses 300–1000 ms, speaks again, until `close()`; each result goes to `onResult`. */
  async speakLoop(onResult: (result: UtteranceResult) => void, initialDelayMs: number): Promise<void> {
    await sleep(initialDelayMs);
    while (!this.stopped) {
      const result = await this.speak({ fast: false });
      if (this.stopped) return;
      onResult(result);
      await sleep(result.status === "refused" ? 1000 : 300 + Math.random() * 700);
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.streaming = false;
    this.relaying = false;
    this.context.pacer.remove(this);
    this.streamDone?.();
    await Promise.allSettled([this.learner.leave(true), this.tutor.leave(true)]);
  }
}
