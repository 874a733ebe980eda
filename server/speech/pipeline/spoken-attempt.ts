/**
 * One spoken attempt as a pipeline, Pipecat-style: wire frames in, typed events out. Each stage
 * has one job and every frame passes each stage once, in this order:
 *
 *   parse → sequence (wire frames back in order) → decode (Opus concealment for lost frames)
 *     → endpoint (VAD) → record (spooled to disk as it arrives) ─ end ─→ keep (WAV to storage)
 *                                                                    └→ evaluate (STT → score → feedback)
 *
 * Events: `speaking` (the learner started/stopped), `ended {reason}`, then, asynchronously,
 * `stored` (the audio is safe), and `evaluated` or `failed`. The pipeline never touches a socket,
 * room state or the attempt row: the room maps its events onto the attempt.
 */
import {
  AUDIO_FRAME_HEADER_BYTES, FrameSequencer, LOST, PIPELINE_SAMPLE_RATE, createAudioDecoder, createEndpointer, readAudioFrameSequence,
  type AudioCodec, type AudioDecoder, type EndpointEvent, type Endpointer, type UtteranceTiming,
} from "../audio/index.ts";
import { KotoError } from "../../errors.ts";
import { SPOOL_BATCH_SAMPLES, type AudioSpool } from "../../recordings/audio-spool.ts";
import { SampleBuffers } from "../audio/sample-buffers.ts";
import { ChunkPool, ChunkedSamples } from "../audio/sample-chunks.ts";
import type { Evaluation, UtteranceToEvaluate } from "./evaluate-utterance.ts";

export interface UtteranceFormat {
  codec: AudioCodec;
  sampleRate: number;
}

export interface SpokenAttemptOptions {
  maxFrameBytes: number;
  maxUtteranceMs: number;
  trailingSilenceMs: number;
  vadEngine: "webrtc" | "energy";
}

export type UtteranceEnd = "silence" | "max-duration" | "released" | "disconnected" | "no-speech";

/**
 * What the pipeline needs from the process: where audio is spooled and kept, and the evaluation
 * stages. `keep` and `evaluate` are lent the samples until their promise settles (the buffer is
 * then reused for another utterance): a stage that needs them longer copies them.
 */
export interface SpokenAttemptStages {
  spool: AudioSpool;
  /**
   * Keeps the finished audio (storage + its row); resolves when it is safe. It may take the spool,
   * which holds the same samples, as the recording itself: true then (the spool is no longer there to
   * remove); otherwise the pipeline removes the spool.
   */
  keep(samples: Int16Array, durationMs: number, spool: AudioSpool): Promise<boolean | void>;
  evaluate(input: UtteranceToEvaluate): Promise<Evaluation>;
}

export type SpokenAttemptTarget = Pick<UtteranceToEvaluate, "accepted" | "learnerLanguage" | "exampleName">;

export interface FrameStats { received: number; duplicates: number; reordered: number; lost: number; late: number }

export type SpokenAttemptEvent =
  | { type: "speaking"; speaking: boolean }
  | { type: "ended"; reason: UtteranceEnd; durationMs: number; spoke: boolean; frames: FrameStats }
  | { type: "stored"; durationMs: number }
  /** `overheadMs`: our own work from the end of the utterance to the result, without the STT and feedback calls. */
  | { type: "evaluated"; evaluation: Evaluation; timing: UtteranceTiming; overheadMs: number }
  | { type: "failed"; code: string; reason: string; audioKept: boolean; cause?: unknown };

export type SpokenAttemptListener = (event: SpokenAttemptEvent) => void;

/**
 * Recording chunks of the process: one second of 16 kHz audio each (32 KB, the spool's batch, so a
 * full chunk is written to it as it is); free ones kept up to 32 MB for the next utterances.
 */
const recordingChunks = new ChunkPool(SPOOL_BATCH_SAMPLES, 1024);
/**
 * The whole utterance in one piece, for keeping and evaluating it: 5 s (160 KB) size classes, doubling;
 * each is lent only while its utterance is kept and evaluated, so few are out at once.
 */
const utteranceBuffers = new SampleBuffers(PIPELINE_SAMPLE_RATE * 5, 16 * 1024 * 1024);

export class SpokenAttempt {
  private readonly sequencer = new FrameSequencer<Uint8Array>();
  /**
   * The utterance so far, in pooled one-second chunks rather than one small array per frame (those
   * lived for the whole utterance, so the GC promoted them and collected them in the full collections
   * that stall the event loop, docs/capacity.md §4.8) or one buffer that doubles (§4.19).
   */
  private readonly recording = new ChunkedSamples(recordingChunks);
  /** The whole utterance in one piece once it has ended (`joined`), back to its pool after `afterEnd`. */
  private whole: Int16Array | null = null;
  /** Samples handed to the spool so far (it gets whole batches, then the rest at the end). */
  private spooledCount = 0;
  private spoke = false;
  private ending: UtteranceEnd | null = null;
  /** Resolves when every event has been emitted (stored, evaluated or failed). */
  private done: Promise<void> = Promise.resolve();

  private constructor(
    private readonly format: UtteranceFormat,
    private readonly options: SpokenAttemptOptions,
    private readonly decoder: AudioDecoder,
    private readonly endpointer: Endpointer,
    private readonly stages: SpokenAttemptStages,
    private readonly target: SpokenAttemptTarget,
    private readonly emit: SpokenAttemptListener,
  ) {}

  static async open(
    format: UtteranceFormat, options: SpokenAttemptOptions, stages: SpokenAttemptStages,
    target: SpokenAttemptTarget, listener: SpokenAttemptListener,
  ): Promise<SpokenAttempt> {
    const decoder = createAudioDecoder(format);
    const endpointer = await createEndpointer({
      engine: options.vadEngine, trailingSilenceMs: options.trailingSilenceMs, maxSpeechMs: options.maxUtteranceMs,
    });
    return new SpokenAttempt(format, options, decoder, endpointer, stages, target, listener);
  }

  get ended(): boolean {
    return this.ending !== null;
  }

  get durationMs(): number {
    return (this.recording.length / PIPELINE_SAMPLE_RATE) * 1000;
  }

  /**
   * One wire frame through parse → sequence → decode → endpoint → record. Throws KotoError for a
   * frame the client got wrong (that frame is dropped; the utterance carries on). Returns the end
   * reason when this frame ended the utterance on its own (silence, no speech, length limit).
   */
  push(bytes: Uint8Array): UtteranceEnd | null {
    if (this.ending) throw new KotoError("UTTERANCE_CLOSED", "this utterance has ended; open a new one to speak again");
    // Checked in place: nothing is allocated for a frame that arrives in order.
    const sequence = readAudioFrameSequence(bytes, this.format.codec, { maxFrameBytes: this.options.maxFrameBytes });
    let ended: UtteranceEnd | null = null;
    if (this.sequencer.takeInOrder(sequence)) {
      // In order with nothing waiting: decoded now, from the transport's bytes (which are not kept);
      // 16 kHz PCM straight into the utterance's buffer, without an array per frame.
      ended = this.decoder.decodesInPlace
        ? this.recordInPlace(bytes)
        : this.record(this.decode(bytes.subarray(AUDIO_FRAME_HEADER_BYTES)));
    } else {
      // The sequencer may hold this frame after the transport reused its buffer: a copy (Uint8Array's
      // slice, since the transport's bytes may be a Node Buffer, whose own slice is a view).
      for (const ordered of this.sequencer.push(sequence, Uint8Array.prototype.slice.call(bytes, AUDIO_FRAME_HEADER_BYTES))) {
        // A gap is concealed frame by frame, each as long as the last: the length limit is checked for
        // every one, or a long first frame and a gap made a recording of minutes (and minutes of work).
        if (this.full) break;
        ended ??= this.record(this.decode(ordered));
      }
    }
    if (!ended && this.full) ended = "max-duration";
    return ended;
  }

  /** The utterance has reached its length limit: nothing more is recorded. */
  private get full(): boolean {
    return this.durationMs >= this.options.maxUtteranceMs;
  }

  /**
   * Ends the utterance (once): drains the sequencer and decoder, emits `ended`, then keeps the
   * audio and evaluates it at the same time. The result is only announced once the audio is safe.
   */
  end(reason: UtteranceEnd): Promise<void> {
    if (this.ending) return this.done;
    this.ending = reason;
    for (const ordered of this.sequencer.flush()) {
      if (this.full) break;
      this.record(this.decode(ordered));
    }
    const rest = this.decoder.flush();
    if (rest.length > 0 && !this.full) this.record(rest);
    this.decoder.close();
    const timing = this.endpointer.timing();
    this.endpointer.close();
    const samples = this.joined();
    const spoke = this.spoke || timing.speechMs > 0;
    if (this.speakingNow) this.emitSpeaking(false);
    this.emit({ type: "ended", reason, durationMs: this.durationMs, spoke, frames: this.sequencer.stats() });
    this.done = this.afterEnd(samples, timing, spoke, reason);
    return this.done;
  }

  private speakingNow = false;

  private decode(ordered: Uint8Array | typeof LOST): Int16Array {
    if (ordered === LOST) return this.decoder.conceal();
    try {
      return this.decoder.decode(ordered);
    } catch (error) {
      // A corrupt packet already in order is concealed like a lost one; the client hears about it.
      if (error instanceof KotoError && error.code === "AUDIO_FRAME_CORRUPT") {
        this.corruptFrames++;
        return this.decoder.conceal();
      }
      throw error;
    }
  }

  /** Corrupt packets concealed so far (reported by the room as AUDIO_FRAME_CORRUPT). */
  corruptFrames = 0;

  private record(samples: Int16Array): UtteranceEnd | null {
    if (samples.length === 0) return null;
    this.recording.append(samples);
    return this.recorded(samples);
  }

  /** A whole wire frame of 16 kHz PCM, its header skipped: straight into the recording's chunk when it fits there. */
  private recordInPlace(frame: Uint8Array): UtteranceEnd | null {
    const offset = this.recording.tailOffset;
    const chunk = this.recording.tail((frame.byteLength - AUDIO_FRAME_HEADER_BYTES) >> 1);
    if (!chunk) return this.record(this.decoder.decode(frame.subarray(AUDIO_FRAME_HEADER_BYTES)));
    const written = this.decoder.decodeInto!(frame, chunk, offset, AUDIO_FRAME_HEADER_BYTES);
    this.recording.commit(written);
    return written === 0 ? null : this.recorded(chunk.subarray(offset, offset + written));
  }

  /** `samples`, just recorded, go to the spool (by the second) and the endpointer. */
  private recorded(samples: Int16Array): UtteranceEnd | null {
    // The spool gets a whole batch at a time, not every frame.
    if (this.recording.length - this.spooledCount >= SPOOL_BATCH_SAMPLES) this.spoolRecorded();
    let ended: UtteranceEnd | null = null;
    for (const event of this.endpointer.process(samples)) ended ??= this.onEndpoint(event);
    return ended;
  }

  private onEndpoint(event: EndpointEvent): UtteranceEnd | null {
    switch (event.type) {
      case "speech-start":
        this.spoke = true;
        this.emitSpeaking(true);
        return null;
      case "speech-discarded":
        this.emitSpeaking(false);
        return null;
      case "speech-end":
        this.emitSpeaking(false);
        return event.reason;
      case "no-speech":
        return "no-speech";
    }
  }

  private emitSpeaking(speaking: boolean): void {
    if (this.speakingNow === speaking) return;
    this.speakingNow = speaking;
    this.emit({ type: "speaking", speaking });
  }

  /** What was recorded since the last hand-over goes to the spool (which writes or copies it before returning). */
  private spoolRecorded(): void {
    const end = this.recording.length;
    for (const view of this.recording.views(this.spooledCount, end)) this.stages.spool.append(view);
    this.spooledCount = end;
  }

  /**
   * The whole utterance, exactly as long as it is, in one piece (a view of a pooled buffer, which
   * `afterEnd` releases when it is done); the recording's chunks go back to their pool at once.
   */
  private joined(): Int16Array {
    this.spoolRecorded();
    const count = this.recording.length;
    this.whole = utteranceBuffers.acquire(count);
    this.recording.copyTo(this.whole);
    this.recording.release();
    return this.whole.subarray(0, count);
  }

  /**
   * Keeps and evaluates the utterance, then gives its buffer back: by then the WAV for storage and the
   * one for speech-to-text are copies, and nothing reads the samples.
   */
  private async afterEnd(samples: Int16Array, timing: UtteranceTiming, spoke: boolean, reason: UtteranceEnd): Promise<void> {
    try {
      await this.keepAndEvaluate(samples, timing, spoke, reason);
    } finally {
      const buffer = this.whole!;
      this.whole = null;
      const release = () => utteranceBuffers.release(buffer);
      // After a storage failure the evaluation may still be running: its buffers go back when it ends.
      if (this.evaluation) void this.evaluation.then(release);
      else release();
    }
  }

  /** The evaluation of this utterance, once started (it settles, never rejects). */
  private evaluation: Promise<unknown> | null = null;

  private async keepAndEvaluate(samples: Int16Array, timing: UtteranceTiming, spoke: boolean, reason: UtteranceEnd): Promise<void> {
    const endedAt = performance.now();
    const durationMs = (samples.length / PIPELINE_SAMPLE_RATE) * 1000;
    const kept = this.keep(samples, durationMs);
    if (!spoke) {
      const audioKept = await kept;
      if (!audioKept) return this.emit(storageFailure(this.keepError));
      this.emit({ type: "stored", durationMs });
      return this.emit(reason === "disconnected"
        ? { type: "failed", code: "DISCONNECTED", reason: "The connection was lost before we heard you speak.", audioKept }
        : { type: "failed", code: "NO_SPEECH", reason: "We did not hear any speech. Check your microphone and try again.", audioKept });
    }
    const evaluation = this.stages.evaluate({ samples, timing, ...this.target })
      .then((result) => ({ result }), (cause: unknown) => ({ cause }));
    this.evaluation = evaluation;
    const audioKept = await kept;
    if (!audioKept) return this.emit(storageFailure(this.keepError));
    this.emit({ type: "stored", durationMs });
    const outcome = await evaluation;
    if ("cause" in outcome) {
      return this.emit({
        type: "failed", code: "EVALUATION_FAILED", audioKept: true, cause: outcome.cause,
        reason: "Your answer could not be evaluated; the recording is kept and can be evaluated again.",
      });
    }
    const { speechToTextMs, feedbackMs } = outcome.result.timings;
    const overheadMs = Math.round((performance.now() - endedAt - speechToTextMs - feedbackMs) * 100) / 100;
    this.emit({ type: "evaluated", evaluation: outcome.result, timing, overheadMs });
  }

  private keepError: unknown = null;

  /**
   * The spool stays until the audio is kept (a crash during upload still finds it), then goes; unless
   * keeping made it the recording.
   */
  private async keep(samples: Int16Array, durationMs: number): Promise<boolean> {
    try {
      const spoolTaken = await this.stages.keep(samples, durationMs, this.stages.spool);
      if (!spoolTaken) await this.stages.spool.discard();
      return true;
    } catch (error) {
      // Whatever failed, the spool is closed with every sample in it, for recovery.
      await this.stages.spool.close().catch(() => {});
      this.keepError = error;
      return false;
    }
  }
}

function storageFailure(cause: unknown): SpokenAttemptEvent {
  return {
    type: "failed", code: "RECORDING_STORAGE_UNAVAILABLE", audioKept: false, cause,
    reason: "We could not keep your recording, so it was not scored. Please try again.",
  };
}
