/**
 * One open utterance: wire frames in; decoded, ordered 16 kHz samples and endpoint events out.
 * It holds everything received so that an utterance closed early (push-to-talk, disconnect,
 * length limit) keeps the audio it got.
 */
import {
  FrameSequencer, PIPELINE_SAMPLE_RATE, createAudioDecoder, createEndpointer, parseAudioFrame,
  type AudioCodec, type AudioDecoder, type EndpointEvent, type Endpointer, type UtteranceTiming,
} from "../audio/index.ts";
import { KotoError } from "../../errors.ts";

export interface UtteranceFormat {
  codec: AudioCodec;
  sampleRate: number;
}

export interface RecorderOptions {
  maxFrameBytes: number;
  maxUtteranceMs: number;
  trailingSilenceMs: number;
  vadEngine: "webrtc" | "energy";
}

export type UtteranceEnd = "silence" | "max-duration" | "released" | "disconnected" | "no-speech";

export interface RecordedUtterance {
  samples: Int16Array;
  timing: UtteranceTiming;
  durationMs: number;
  spoke: boolean;
  frames: { received: number; duplicates: number; reordered: number; lost: number };
}

export interface PushResult {
  events: EndpointEvent[];
  /** Set when this frame ended the utterance. */
  ended: UtteranceEnd | null;
}

const FRAME_SAMPLES_20MS = PIPELINE_SAMPLE_RATE / 50;

export class UtteranceRecorder {
  private readonly chunks: Int16Array[] = [];
  private sampleCount = 0;
  private spoke = false;
  private finished = false;

  private constructor(
    private readonly format: UtteranceFormat,
    private readonly options: RecorderOptions,
    private readonly decoder: AudioDecoder,
    private readonly sequencer: FrameSequencer,
    private readonly endpointer: Endpointer,
  ) {}

  static async open(format: UtteranceFormat, options: RecorderOptions): Promise<UtteranceRecorder> {
    const decoder = createAudioDecoder(format);
    const endpointer = await createEndpointer({
      engine: options.vadEngine,
      trailingSilenceMs: options.trailingSilenceMs,
      maxSpeechMs: options.maxUtteranceMs,
    });
    return new UtteranceRecorder(format, options, decoder, new FrameSequencer({ frameSamples: FRAME_SAMPLES_20MS }), endpointer);
  }

  get durationMs(): number {
    return (this.sampleCount / PIPELINE_SAMPLE_RATE) * 1000;
  }

  /** Parses (copying the payload first: uWS reuses the buffer), decodes and endpoints one frame. */
  push(frameBytes: Uint8Array): PushResult {
    if (this.finished) throw new KotoError("UTTERANCE_CLOSED", "this utterance has ended; open a new one to speak again");
    const frame = parseAudioFrame(frameBytes, this.format.codec, { maxFrameBytes: this.options.maxFrameBytes });
    const decoded = this.decoder.decode(frame.payload);
    const events: EndpointEvent[] = [];
    let ended: UtteranceEnd | null = null;
    for (const samples of this.sequencer.push(frame.sequence, decoded)) {
      ended ??= this.append(samples, events);
    }
    if (!ended && this.durationMs >= this.options.maxUtteranceMs) ended = "max-duration";
    return { events, ended };
  }

  private append(samples: Int16Array, events: EndpointEvent[]): UtteranceEnd | null {
    this.chunks.push(samples);
    this.sampleCount += samples.length;
    let ended: UtteranceEnd | null = null;
    for (const event of this.endpointer.process(samples)) {
      events.push(event);
      if (event.type === "speech-start") this.spoke = true;
      if (event.type === "speech-end") ended = event.reason;
      if (event.type === "no-speech") ended = "no-speech";
    }
    return ended;
  }

  /** Ends the utterance and hands over everything received. Safe to call once. */
  finish(): RecordedUtterance {
    if (!this.finished) {
      this.finished = true;
      const tail: EndpointEvent[] = [];
      for (const samples of this.sequencer.flush()) this.append(samples, tail);
      const rest = this.decoder.flush();
      if (rest.length > 0) this.append(rest, tail);
    }
    const samples = new Int16Array(this.sampleCount);
    let offset = 0;
    for (const chunk of this.chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    const timing = this.endpointer.timing();
    const stats = this.sequencer.stats();
    return {
      samples, timing, durationMs: this.durationMs, spoke: this.spoke || timing.speechMs > 0,
      frames: { received: stats.received, duplicates: stats.duplicates, reordered: stats.reordered, lost: stats.lost },
    };
  }

  close(): void {
    this.decoder.close();
    this.endpointer.close();
  }
}
