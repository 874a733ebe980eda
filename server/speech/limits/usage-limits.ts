/**
 * Admission rules for learner audio: how much a learner, a connection and the whole process may
 * speak, so one noisy client cannot starve the others and paid speech-to-text cannot run away.
 * Pure and clock-injected; it holds counters only, never audio.
 */
import { KotoError } from "../../errors.ts";
import { TokenBuckets } from "../../limits/token-buckets.ts";
import { WindowCounter } from "../../limits/window-counter.ts";

export interface SpeechLimits {
  /** Largest single audio frame; enforced where frames are parsed, carried here with its siblings. */
  maxFrameBytes: number;
  /** Longest utterance; enforced by the endpointer, carried here with its siblings. */
  maxUtteranceMs: number;
  /** Sustained audio rate per connection. 16 kHz PCM16 is 32,000 B/s; bursts up to 1.5 s of it pass. */
  maxBytesPerSecondPerClient: number;
  /** Utterances open at once in this process. */
  maxConcurrentUtterances: number;
  /** Utterances a learner may start in any 60-second window. */
  maxUtterancesPerMinute: number;
  /** Seconds of audio a learner may send for scoring per UTC day. */
  maxAudioSecondsPerLearnerPerDay: number;
  /** Seconds of audio all learners together may send per UTC day: the ceiling on speech-to-text cost. */
  maxAudioSecondsPerDay: number;
}

export const defaultSpeechLimits: SpeechLimits = Object.freeze({
  maxFrameBytes: 16 * 1024,
  maxUtteranceMs: 30_000,
  maxBytesPerSecondPerClient: 32_000,
  maxConcurrentUtterances: 200,
  maxUtterancesPerMinute: 20,
  maxAudioSecondsPerLearnerPerDay: 1800,
  maxAudioSecondsPerDay: 200_000,
});

/** A refusal the client can schedule around: `retryAfterMs` is when trying again can succeed. */
export class UsageLimitError extends KotoError {
  readonly retryAfterMs: number;

  constructor(code: string, sentence: string, status: number, retryAfterMs: number) {
    super(code, sentence, status);
    this.name = "UsageLimitError";
    this.retryAfterMs = Math.max(0, Math.ceil(retryAfterMs));
  }

  /** The client may wait and try again: say when (null when waiting will not help, e.g. a frame too large). */
  override toWire(): { code: string; message: string; retryAfterMs?: number } {
    return Number.isFinite(this.retryAfterMs) ? { ...super.toWire(), retryAfterMs: this.retryAfterMs } : super.toWire();
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A client's bucket may hold 1.5 s of audio: network jitter delivers frames in clumps. */
const BURST_SECONDS = 1.5;
/**
 * How fast a connection's audio may arrive, counted in audio rather than bytes: Opus is ten times
 * more compact than PCM, so the byte budget alone let a client send a 30 s answer (~22 KB) in one
 * go and have all of it decoded on the spot. A network stall delivers a few seconds at once, and a
 * test or a client catching up may send faster than it speaks: up to AUDIO_AHEAD_MS at once, then
 * AUDIO_SPEED times real time.
 */
const AUDIO_AHEAD_MS = 10_000;
const AUDIO_SPEED = 2;
/** How often idle per-client buckets and empty per-minute windows are dropped. */
const SWEEP_INTERVAL_MS = 10_000;
/** A slot frees as soon as any utterance ends, typically within a few seconds. */
const BUSY_RETRY_MS = 3_000;

export class UsageLimiter {
  private readonly limits: SpeechLimits;
  private readonly now: () => number;
  /** Each connection's audio bytes (a bucket holds BURST_SECONDS of audio). */
  private readonly bytes: TokenBuckets;
  /** Each connection's audio in milliseconds (AUDIO_AHEAD_MS at once, then AUDIO_SPEED times real time). */
  private readonly audioMs: TokenBuckets;

  private activeUtterances = 0;
  /** Learners with an answer open right now (one each). */
  private readonly openByLearner = new Set<string>();
  /** Each learner's utterances started in the last minute. */
  private readonly starts: WindowCounter;
  private day: number;
  private readonly learnerSecondsToday = new Map<string, number>();
  private audioSecondsToday = 0;
  private lastSweepAt: number;

  constructor(limits: SpeechLimits, now: () => number = Date.now) {
    for (const [name, value] of Object.entries(limits)) {
      if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
        throw new KotoError("CONFIG_INVALID", `speech limit ${name} must be a positive number, not ${String(value)}`);
      }
    }
    this.limits = { ...limits };
    this.now = now;
    this.bytes = new TokenBuckets(limits.maxBytesPerSecondPerClient * BURST_SECONDS, limits.maxBytesPerSecondPerClient, now);
    this.audioMs = new TokenBuckets(AUDIO_AHEAD_MS, 1000 * AUDIO_SPEED, now);
    this.starts = new WindowCounter(limits.maxUtterancesPerMinute, MINUTE_MS, now);
    const start = now();
    this.day = utcDay(start);
    this.lastSweepAt = start;
  }

  get configured(): Readonly<SpeechLimits> {
    return this.limits;
  }

  /**
   * At utterance open. The longest-lasting refusal is checked first, so a learner is never told
   * "try again in a few seconds" when the real answer is "tomorrow".
   */
  admitUtterance(learnerId: string): () => void {
    const now = this.tick();
    const untilMidnight = (this.day + 1) * DAY_MS - now;

    if (this.audioSecondsToday >= this.limits.maxAudioSecondsPerDay) {
      throw new UsageLimitError(
        "SPEECH_BUDGET_EXHAUSTED",
        `spoken answers are paused for everyone because today's speech budget is used up; ` +
          `they come back at 00:00 UTC (in ${formatWait(untilMidnight)}), and typed answers still work`,
        503,
        untilMidnight,
      );
    }
    const usedByLearner = this.learnerSecondsToday.get(learnerId) ?? 0;
    if (usedByLearner >= this.limits.maxAudioSecondsPerLearnerPerDay) {
      throw new UsageLimitError(
        "SPEECH_DAILY_LIMIT",
        `you have used today's ${formatWait(this.limits.maxAudioSecondsPerLearnerPerDay * 1000)} of speaking practice; ` +
          `it resets at 00:00 UTC (in ${formatWait(untilMidnight)}), and typed answers still work`,
        429,
        untilMidnight,
      );
    }
    const startWaitMs = this.starts.waitFor(learnerId, now);
    if (startWaitMs > 0) {
      throw new UsageLimitError(
        "SPEECH_RATE_LIMITED",
        `you can start at most ${this.limits.maxUtterancesPerMinute} spoken answers a minute; ` +
          `try again in ${formatWait(startWaitMs)}`,
        429,
        startWaitMs,
      );
    }
    // One answer at a time per learner, across every session of the process: a guest with 20 lessons
    // open could otherwise speak into all of them at once.
    if (this.openByLearner.has(learnerId)) {
      throw new KotoError("UTTERANCE_ALREADY_OPEN", "you are already speaking in another session; finish that answer first", 409);
    }
    if (this.activeUtterances >= this.limits.maxConcurrentUtterances) {
      throw new UsageLimitError(
        "SPEECH_BUSY",
        `the speaking service is busy with ${this.activeUtterances} other learners right now; ` +
          `try again in a few seconds`,
        503,
        BUSY_RETRY_MS,
      );
    }

    this.starts.count(learnerId, now);
    if (!this.learnerSecondsToday.has(learnerId)) this.learnerSecondsToday.set(learnerId, 0);
    this.activeUtterances += 1;
    this.openByLearner.add(learnerId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.activeUtterances -= 1;
      this.openByLearner.delete(learnerId);
    };
  }

  /**
   * Per frame of an open answer, after its bytes (admitBytes): the audio it carries (`audioMs`,
   * audioFrameMs), which may arrive at most AUDIO_SPEED times faster than real time after a burst of AUDIO_AHEAD_MS.
   */
  admitAudio(clientId: string, audioMs: number): void {
    const waitMs = this.audioMs.take(clientId, audioMs);
    if (waitMs > 0) {
      throw audioRateExceeded(`audio is arriving faster than it can be spoken (at most ${AUDIO_AHEAD_MS / 1000} s at once, ` +
        `then ${AUDIO_SPEED}× real time); send frames as they are recorded`, waitMs, this.audioMs);
    }
  }

  /** Per incoming frame: a token bucket per connection, refilled at the sustained rate. */
  admitBytes(clientId: string, bytes: number): void {
    // A count that is not a real size (NaN, negative, a string) would poison the bucket for good.
    if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < 0) {
      throw new KotoError("AUDIO_FRAME_INVALID", "audio must be sent as binary frames (room.sendBytes)");
    }
    const now = this.tick();
    const waitMs = this.bytes.take(clientId, bytes, now);
    if (waitMs > 0) {
      throw audioRateExceeded(`audio is arriving faster than real time (at most ${this.limits.maxBytesPerSecondPerClient} bytes a second); ` +
        `send frames as they are recorded rather than in bursts`, waitMs, this.bytes);
    }
  }

  /**
   * After an utterance. Usage is counted when it is known, so a learner may overrun the daily
   * budget by at most one utterance, and the process by at most its concurrent utterances.
   */
  recordAudioSeconds(learnerId: string, seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError(`audio seconds must be a finite number >= 0, not ${seconds}`);
    }
    this.tick();
    this.learnerSecondsToday.set(learnerId, (this.learnerSecondsToday.get(learnerId) ?? 0) + seconds);
    this.audioSecondsToday += seconds;
  }

  forgetClient(clientId: string): void {
    this.bytes.forget(clientId);
    this.audioMs.forget(clientId);
  }

  stats(): { activeUtterances: number; audioSecondsToday: number; learnersToday: number } {
    this.tick();
    return {
      activeUtterances: this.activeUtterances,
      audioSecondsToday: this.audioSecondsToday,
      learnersToday: this.learnerSecondsToday.size,
    };
  }

  /** How many per-client and per-learner entries are held: for tests and metrics on memory. */
  trackedEntries(): { clientBuckets: number; minuteWindows: number; minuteStarts: number } {
    return { clientBuckets: this.bytes.size, minuteWindows: this.starts.size, minuteStarts: this.starts.held };
  }

  /** Reads the clock once per call: rolls the day over and, now and then, drops idle entries. */
  private tick(): number {
    const now = this.now();
    const today = utcDay(now);
    if (today !== this.day) {
      this.day = today;
      this.learnerSecondsToday.clear();
      this.audioSecondsToday = 0;
    }
    if (now - this.lastSweepAt >= SWEEP_INTERVAL_MS || now < this.lastSweepAt) this.sweep(now);
    return now;
  }

  private sweep(now: number): void {
    this.lastSweepAt = now;
    this.bytes.sweep(now);
    this.audioMs.sweep(now);
    this.starts.sweep(now);
  }
}

/**
 * A frame over one of a connection's audio buckets: when it fits again, or (a frame larger than the
 * whole bucket, which never fits) the time to fill an empty one.
 */
function audioRateExceeded(sentence: string, waitMs: number, bucket: TokenBuckets): UsageLimitError {
  const fits = Number.isFinite(waitMs);
  return new UsageLimitError("AUDIO_RATE_EXCEEDED", sentence + (fits ? `, and this frame fits again in ${Math.ceil(waitMs)} ms` : ""),
    429, fits ? waitMs : bucket.refillMs);
}

function utcDay(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

/** "45 seconds", "3 min", "5 h 12 min": a wait a person reads at a glance. */
export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
