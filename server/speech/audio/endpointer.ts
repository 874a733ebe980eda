import {
  createEnergyVoiceDetector,
  createWebRtcVoiceDetector,
  VAD_FRAME_MS,
  VAD_FRAME_SAMPLES,
  type EnergyDetectorOptions,
  type VoiceDetector,
  type WebRtcAggressiveness,
} from "./voice-detector.ts";

export interface EndpointerOptions {
  /** "webrtc" (default choice), "energy" (fallback), or any detector, e.g. a fake in tests. */
  engine: "webrtc" | "energy" | VoiceDetector;
  /** Silence after speech that ends the turn. Beginners pause to think: the default is generous. */
  trailingSilenceMs?: number;
  /** An utterance with less speech than this (a cough, a click) is discarded, not ended. */
  minSpeechMs?: number;
  /** Voice must last this long before speech starts: one noisy frame is not speech. */
  startSpeechMs?: number;
  /** Silences shorter than this inside speech are part of the word, not pauses. */
  minPauseMs?: number;
  /** Give up when nobody has spoken this long after the first sample (a discarded cough does not restart it). */
  leadingSilenceTimeoutMs?: number;
  /** Cut a turn that goes on longer than this. */
  maxSpeechMs?: number;
  /**
   * Verdicts ignored at the start of the stream. The WebRTC VAD's noise model starts empty, so
   * steady background hiss reads as voice for its first 80-100 ms; speech in that window is
   * still kept by trimSilence's padding. Default: 120 for "webrtc", 0 otherwise.
   */
  warmUpMs?: number;
  /** WebRTC VAD mode, 0 (lenient) to 3 (strict about noise). */
  aggressiveness?: WebRtcAggressiveness;
  energy?: EnergyDetectorOptions;
}

/** All times are milliseconds of audio since the first sample given to this endpointer. */
export type EndpointEvent =
  | { type: "speech-start"; atMs: number; detectedAtMs: number }
  | { type: "speech-end"; atMs: number; speechEndMs: number; reason: "silence" | "max-duration" }
  | { type: "speech-discarded"; atMs: number; speechMs: number }
  | { type: "no-speech"; atMs: number };

export interface UtteranceTiming {
  /** Time spent speaking: from start to end minus the pauses. */
  speechMs: number;
  /** Silences inside the utterance, in order. */
  pauses: number[];
  speechStartMs: number | null;
  /** End of the last voiced frame so far (final once speech has ended). */
  speechEndMs: number | null;
}

export type EndpointerState = "waiting" | "speaking" | "ended";

export interface Endpointer {
  readonly state: EndpointerState;
  /** Feeds 16 kHz mono samples in chunks of any size; returns what happened in them. */
  /** Events this audio caused (usually none; the list returned then is shared and empty: read it, never keep or change it). */
  process(samples: Int16Array): readonly EndpointEvent[];
  timing(): UtteranceTiming;
  /** Ready for a new utterance with a fresh clock. */
  reset(): void;
  close(): void;
}

export const DEFAULT_TRAILING_SILENCE_MS = 1200;

export async function createEndpointer(options: EndpointerOptions): Promise<Endpointer> {
  const detector =
    options.engine === "webrtc"
      ? await createWebRtcVoiceDetector(options.aggressiveness ?? 2)
      : options.engine === "energy"
        ? createEnergyVoiceDetector(options.energy)
        : options.engine;
  return new FrameEndpointer(detector, options);
}

/** What `process` returns for audio that changed nothing (most frames): one list, never written to. */
const NO_EVENTS: readonly EndpointEvent[] = Object.freeze([]);

const framesFor = (ms: number): number => Math.max(1, Math.ceil(ms / VAD_FRAME_MS));

/**
 * Turns per-frame voice verdicts into utterance events. Pure bookkeeping over 20 ms frames;
 * the detector is the only part that listens to the audio.
 */
class FrameEndpointer implements Endpointer {
  private readonly detector: VoiceDetector;
  private readonly startFrames: number;
  private readonly trailingFrames: number;
  private readonly minSpeechMs: number;
  private readonly minPauseFrames: number;
  private readonly leadingTimeoutFrames: number;
  private readonly maxSpeechFrames: number;
  private readonly warmUpFrames: number;

  private readonly frame = new Int16Array(VAD_FRAME_SAMPLES);
  private frameFill = 0;
  private frameIndex = 0;
  private current: EndpointerState = "waiting";
  /** Waiting: length and first frame of the current run of voiced frames. */
  private voicedRun = 0;
  private voicedRunStart = 0;
  /** Speaking: first frame, frame after the last voiced one, and the silence run since. */
  private startFrame = -1;
  private endFrame = -1;
  private silentRun = 0;
  private pauseFrames: number[] = [];

  constructor(detector: VoiceDetector, options: EndpointerOptions) {
    this.detector = detector;
    this.startFrames = framesFor(options.startSpeechMs ?? 60);
    this.trailingFrames = framesFor(options.trailingSilenceMs ?? DEFAULT_TRAILING_SILENCE_MS);
    this.minSpeechMs = options.minSpeechMs ?? 200;
    this.minPauseFrames = framesFor(options.minPauseMs ?? 200);
    this.leadingTimeoutFrames =
      options.leadingSilenceTimeoutMs === undefined ? Number.POSITIVE_INFINITY : framesFor(options.leadingSilenceTimeoutMs);
    this.maxSpeechFrames = options.maxSpeechMs === undefined ? Number.POSITIVE_INFINITY : framesFor(options.maxSpeechMs);
    const warmUpMs = options.warmUpMs ?? (options.engine === "webrtc" ? 120 : 0);
    this.warmUpFrames = Math.ceil(warmUpMs / VAD_FRAME_MS);
  }

  get state(): EndpointerState {
    return this.current;
  }

  process(samples: Int16Array): readonly EndpointEvent[] {
    // The usual 20 ms frame with nothing held over is heard where it is: no copy, no list (it runs for
    // every frame of every speaker).
    if (this.frameFill === 0 && samples.length === VAD_FRAME_SAMPLES && this.current !== "ended") {
      const event = this.hear(samples);
      return event ? [event] : NO_EVENTS;
    }
    let events: EndpointEvent[] | null = null;
    let offset = 0;
    while (offset < samples.length && this.current !== "ended") {
      const take = Math.min(VAD_FRAME_SAMPLES - this.frameFill, samples.length - offset);
      this.frame.set(samples.subarray(offset, offset + take), this.frameFill);
      this.frameFill += take;
      offset += take;
      if (this.frameFill === VAD_FRAME_SAMPLES) {
        this.frameFill = 0;
        const event = this.hear(this.frame);
        if (event) (events ??= []).push(event);
      }
    }
    return events ?? NO_EVENTS;
  }

  /** One whole VAD frame: the detector hears every one (it adapts to the noise), but warm-up verdicts are not trusted. */
  private hear(frame: Int16Array): EndpointEvent | null {
    const voiced = this.detector.isVoiced(frame) && this.frameIndex >= this.warmUpFrames;
    const event = this.step(voiced);
    this.frameIndex++;
    return event;
  }

  timing(): UtteranceTiming {
    if (this.startFrame < 0) return { speechMs: 0, pauses: [], speechStartMs: null, speechEndMs: null };
    const pauseFrames = this.pauseFrames.reduce((sum, frames) => sum + frames, 0);
    return {
      speechMs: (this.endFrame - this.startFrame - pauseFrames) * VAD_FRAME_MS,
      pauses: this.pauseFrames.map((frames) => frames * VAD_FRAME_MS),
      speechStartMs: this.startFrame * VAD_FRAME_MS,
      speechEndMs: this.endFrame * VAD_FRAME_MS,
    };
  }

  reset(): void {
    this.detector.reset();
    this.frameFill = 0;
    this.frameIndex = 0;
    this.current = "waiting";
    this.voicedRun = 0;
    this.forgetSpeech();
  }

  close(): void {
    this.current = "ended";
    this.detector.close();
  }

  private step(voiced: boolean): EndpointEvent | null {
    const frame = this.frameIndex;
    const nowMs = (frame + 1) * VAD_FRAME_MS;
    if (this.current === "waiting") {
      if (voiced) {
        if (this.voicedRun === 0) this.voicedRunStart = frame;
        this.voicedRun++;
        if (this.voicedRun >= this.startFrames) {
          this.current = "speaking";
          this.startFrame = this.voicedRunStart;
          this.endFrame = frame + 1;
          this.silentRun = 0;
          return { type: "speech-start", atMs: this.startFrame * VAD_FRAME_MS, detectedAtMs: nowMs };
        }
      } else {
        this.voicedRun = 0;
        if (frame + 1 >= this.leadingTimeoutFrames) {
          this.current = "ended";
          return { type: "no-speech", atMs: nowMs };
        }
      }
      return null;
    }

    if (voiced) {
      if (this.silentRun >= this.minPauseFrames) this.pauseFrames.push(this.silentRun);
      this.silentRun = 0;
      this.endFrame = frame + 1;
    } else {
      this.silentRun++;
    }

    if (this.silentRun >= this.trailingFrames) {
      const speechMs = this.timing().speechMs;
      if (speechMs < this.minSpeechMs) {
        // Too little to be an answer: forget it and keep listening for real speech.
        this.current = "waiting";
        this.voicedRun = 0;
        this.forgetSpeech();
        return { type: "speech-discarded", atMs: nowMs, speechMs };
      }
      return this.end("silence", nowMs);
    } else if (frame + 1 - this.startFrame >= this.maxSpeechFrames) {
      this.endFrame = frame + 1;
      return this.end("max-duration", nowMs);
    }
    return null;
  }

  private end(reason: "silence" | "max-duration", nowMs: number): EndpointEvent {
    this.current = "ended";
    return { type: "speech-end", atMs: nowMs, speechEndMs: this.endFrame * VAD_FRAME_MS, reason };
  }

  private forgetSpeech(): void {
    this.startFrame = -1;
    this.endFrame = -1;
    this.silentRun = 0;
    this.pauseFrames = [];
  }
}
