import createFvadModule, { type FvadModule } from "@echogarden/fvad-wasm";
import { KotoError } from "../../errors.ts";

/** VAD frames are 20 ms at 16 kHz. */
export const VAD_FRAME_SAMPLES = 320;
export const VAD_FRAME_MS = 20;

/** Says whether one 20 ms frame of 16 kHz audio holds voice. One instance per learner. */
export interface VoiceDetector {
  readonly engine: string;
  isVoiced(frame: Int16Array): boolean;
  reset(): void;
  close(): void;
}

export type WebRtcAggressiveness = 0 | 1 | 2 | 3;

let fvadModule: Promise<FvadModule> | undefined;
/** One scratch frame in the WASM heap, shared: calls are synchronous, so they never overlap. */
let framePointer = 0;

/**
 * Loads the WebRTC VAD WASM module once per process; every detector is a few hundred bytes of
 * state in its heap. Call at start-up to keep the first learner from paying for compilation.
 */
export function loadWebRtcVad(): Promise<FvadModule> {
  fvadModule ??= createFvadModule().then((module) => {
    framePointer = module._malloc(VAD_FRAME_SAMPLES * 2);
    if (framePointer === 0) throw new Error("could not allocate the VAD frame buffer");
    return module;
  });
  return fvadModule;
}

/** Bytes in the shared WASM heap; grows if detectors are created without being closed. */
export async function webRtcVadHeapBytes(): Promise<number> {
  return (await loadWebRtcVad()).HEAPU8.byteLength;
}

export async function createWebRtcVoiceDetector(aggressiveness: WebRtcAggressiveness = 2): Promise<VoiceDetector> {
  const module = await loadWebRtcVad();
  const handle = module._fvad_new();
  if (handle === 0) throw new KotoError("AUDIO_VAD_UNAVAILABLE", "the voice detector could not be created (out of memory)", 503);
  if (module._fvad_set_mode(handle, aggressiveness) !== 0 || module._fvad_set_sample_rate(handle, 16000) !== 0) {
    module._fvad_free(handle);
    throw new RangeError(`WebRTC VAD aggressiveness must be 0, 1, 2 or 3, got ${aggressiveness}`);
  }
  return new WebRtcVoiceDetector(module, handle, aggressiveness);
}

class WebRtcVoiceDetector implements VoiceDetector {
  readonly engine = "webrtc";
  private readonly module: FvadModule;
  private handle: number;
  private readonly aggressiveness: WebRtcAggressiveness;

  constructor(module: FvadModule, handle: number, aggressiveness: WebRtcAggressiveness) {
    this.module = module;
    this.handle = handle;
    this.aggressiveness = aggressiveness;
  }

  isVoiced(frame: Int16Array): boolean {
    if (this.handle === 0) throw closedError();
    assertFrameLength(frame);
    this.module.HEAP16.set(frame, framePointer >> 1);
    const verdict = this.module._fvad_process(this.handle, framePointer, VAD_FRAME_SAMPLES);
    if (verdict < 0) throw new Error("WebRTC VAD rejected a frame");
    return verdict === 1;
  }

  reset(): void {
    if (this.handle === 0) throw closedError();
    // fvad_reset also returns mode and sample rate to their defaults.
    this.module._fvad_reset(this.handle);
    this.module._fvad_set_mode(this.handle, this.aggressiveness);
    this.module._fvad_set_sample_rate(this.handle, 16000);
  }

  close(): void {
    if (this.handle !== 0) this.module._fvad_free(this.handle);
    this.handle = 0;
  }
}

export interface EnergyDetectorOptions {
  /** Frames louder than this (RMS, dB relative to full scale) are voice. */
  thresholdDb?: number;
  /** Quiet frames right after voice still count as voice, bridging gaps inside syllables. */
  hangoverMs?: number;
  /** Loud run needed before the hangover applies, so one click does not become 100 ms of "voice". */
  hangoverAfterMs?: number;
}

/**
 * RMS threshold with hangover: the cheapest detector, for when WASM is unavailable or for
 * comparison. It cannot tell voice from loud noise and needs a quiet room.
 */
export function createEnergyVoiceDetector(options: EnergyDetectorOptions = {}): VoiceDetector {
  const thresholdDb = options.thresholdDb ?? -40;
  const hangoverFrames = Math.round((options.hangoverMs ?? 100) / VAD_FRAME_MS);
  const hangoverAfterFrames = Math.max(1, Math.round((options.hangoverAfterMs ?? 60) / VAD_FRAME_MS));
  // Compare sums of squares, not decibels: no logarithm per frame.
  const thresholdSumOfSquares = VAD_FRAME_SAMPLES * (32768 * 10 ** (thresholdDb / 20)) ** 2;
  let loudRun = 0;
  let hangoverLeft = 0;
  let closed = false;
  return {
    engine: "energy",
    isVoiced(frame: Int16Array): boolean {
      if (closed) throw closedError();
      assertFrameLength(frame);
      let sumOfSquares = 0;
      for (let i = 0; i < frame.length; i++) sumOfSquares += frame[i] * frame[i];
      if (sumOfSquares > thresholdSumOfSquares) {
        loudRun++;
        if (loudRun >= hangoverAfterFrames) hangoverLeft = hangoverFrames;
        return true;
      }
      loudRun = 0;
      if (hangoverLeft > 0) {
        hangoverLeft--;
        return true;
      }
      return false;
    },
    reset(): void {
      loudRun = 0;
      hangoverLeft = 0;
    },
    close(): void {
      closed = true;
    },
  };
}

function assertFrameLength(frame: Int16Array): void {
  if (frame.length !== VAD_FRAME_SAMPLES) {
    throw new RangeError(`voice detectors take ${VAD_FRAME_SAMPLES}-sample frames, got ${frame.length}`);
  }
}

function closedError(): KotoError {
  return new KotoError("AUDIO_VAD_CLOSED", "this voice detector was closed; create a new one for the next learner", 500);
}
