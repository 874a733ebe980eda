/**
 * A tutor listening to a learner as they speak: relayed `learner-audio` frames are scheduled back to
 * back on a Web Audio clock a few tens of milliseconds ahead. When the queue runs further ahead than
 * MAX_AHEAD_S (a burst after a network stall), playback skips forward to stay live rather than
 * drift behind. PCM16 plays directly; Opus is decoded with WebCodecs where the browser has it.
 */
import { decodeRelayFrame, pcm16ToFloat32 } from "./audio-frames.ts";

export interface StreamFormat {
  codec: "pcm16" | "opus" | string;
  sampleRate: number;
}

const LEAD_S = 0.06;
const MAX_AHEAD_S = 0.35;

export class LiveListener {
  framesPlayed = 0;
  framesSkipped = 0;
  /** Seconds of learner audio scheduled so far. */
  secondsPlayed = 0;
  /** Called after each frame is scheduled (decoding may finish after `push` returned). */
  onPlayed: (() => void) | null = null;
  /** Set when a frame could not be played (an Opus stream without WebCodecs). */
  problem = "";
  private context: AudioContext | null = null;
  private nextTime = 0;
  private readonly formats = new Map<string, StreamFormat>();
  private readonly decoders = new Map<string, AudioDecoder>();
  private enabled = false;

  /** Call from the toggle's click: browsers start audio only after a gesture. */
  async enable(): Promise<void> {
    this.enabled = true;
    this.context ??= new AudioContext({ latencyHint: "interactive" });
    if (this.context.state !== "running") await this.context.resume().catch(() => {});
  }

  disable(): void {
    this.enabled = false;
    for (const decoder of this.decoders.values()) closeQuietly(decoder);
    this.decoders.clear();
    this.nextTime = 0;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** `utterance-started { attemptId, codec, sampleRate }`: how this attempt's frames are encoded. */
  utteranceStarted(format: StreamFormat & { attemptId: string }): void {
    this.formats.set(format.attemptId, { codec: format.codec, sampleRate: format.sampleRate });
  }

  /** One `learner-audio` message. */
  push(bytes: Uint8Array): void {
    if (!this.enabled || !this.context) return;
    const frame = decodeRelayFrame(bytes);
    const format = this.formats.get(frame.attemptId) ?? { codec: "pcm16", sampleRate: 16000 };
    if (format.codec === "pcm16") {
      this.schedule(pcm16ToFloat32(frame.payload), format.sampleRate);
      return;
    }
    if (format.codec === "opus") this.decodeOpus(frame.attemptId, frame.sequence, frame.payload, format.sampleRate);
  }

  async close(): Promise<void> {
    this.disable();
    await this.context?.close().catch(() => {});
    this.context = null;
  }

  private schedule(samples: Float32Array, sampleRate: number): void {
    const context = this.context;
    if (!context || samples.length === 0) return;
    const now = context.currentTime;
    if (this.nextTime < now + 0.005) this.nextTime = now + LEAD_S;
    if (this.nextTime > now + MAX_AHEAD_S) {
      this.framesSkipped++;
      return;
    }
    const buffer = context.createBuffer(1, samples.length, sampleRate);
    buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.start(this.nextTime);
    this.nextTime += buffer.duration;
    this.framesPlayed++;
    this.secondsPlayed += buffer.duration;
    this.onPlayed?.();
  }

  private decodeOpus(attemptId: string, sequence: number, packet: Uint8Array, sampleRate: number): void {
    if (typeof AudioDecoder === "undefined" || typeof EncodedAudioChunk === "undefined") {
      this.problem = "opus-unsupported";
      return;
    }
    let decoder = this.decoders.get(attemptId);
    if (!decoder) {
      decoder = new AudioDecoder({
        output: (data) => {
          const samples = new Float32Array(data.numberOfFrames);
          data.copyTo(samples, { planeIndex: 0, format: "f32-planar" });
          this.schedule(samples, data.sampleRate);
          data.close();
        },
        error: () => {
          this.problem = "opus-decode-failed";
        },
      });
      decoder.configure({ codec: "opus", sampleRate, numberOfChannels: 1 });
      this.decoders.set(attemptId, decoder);
    }
    decoder.decode(new EncodedAudioChunk({ type: "key", timestamp: sequence * 20_000, data: packet }));
  }
}

function closeQuietly(decoder: AudioDecoder): void {
  try {
    decoder.close();
  } catch {
    // already closed
  }
}
