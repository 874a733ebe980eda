/**
 * One spoken answer on the wire: `utterance-open` → wait for `utterance-opened` → binary frames
 * `[uint32 LE sequence][PCM16]` from sequence 0 → (push-to-talk) `utterance-close`. Frames captured
 * before the server has opened the attempt are held, so the start of the answer is not lost.
 */
import { encodeAudioFrame } from "../audio/audio-frames.ts";
import type { MessagePayload } from "../../../protocol/client-messages.ts";
import { BYTES_MESSAGES } from "../../../protocol/audio-frames.ts";
import { OpusFrameEncoder } from "../audio/opus-encoder.ts";

export type UtteranceMode = "hands-free" | "push-to-talk";

export interface UtteranceTransport {
  send(type: string, payload?: unknown): void;
  sendBytes(type: string, bytes: Uint8Array): void;
}

/** About 3 s of 20 ms frames: plenty for the server's answer to arrive. */
const MAX_HELD_FRAMES = 150;

export class Utterance {
  readonly attemptId = newAttemptId();
  opened = false;
  /** No more frames go out: released and flushed, ended by the server, or cancelled. */
  done = false;
  framesSent = 0;
  private sequence = 0;
  private released = false;
  private held: Int16Array[] = [];

  constructor(
    private readonly transport: UtteranceTransport,
    readonly step: number,
    readonly mode: UtteranceMode,
    readonly sampleRate: number,
    /** Send Opus (WebCodecs) instead of PCM16: decided once per browser (audio/opus-encoder.ts). */
    opus = false,
  ) {
    if (opus) this.opus = new OpusFrameEncoder(sampleRate, (packet) => this.sendPacket(packet));
  }

  private readonly opus: OpusFrameEncoder | null = null;

  get codec(): "opus" | "pcm16" {
    return this.opus ? "opus" : "pcm16";
  }

  open(): void {
    const open: MessagePayload<"utterance-open"> = {
      codec: this.codec, sampleRate: this.sampleRate, step: this.step, attemptId: this.attemptId, mode: this.mode,
    };
    this.transport.send("utterance-open", open);
  }

  /** The server committed the attempt: send what was held, and close at once if already released. */
  confirmOpened(): void {
    if (this.opened || this.done) return;
    this.opened = true;
    for (const frame of this.held.splice(0)) this.sendFrame(frame);
    if (this.released) this.close();
  }

  push(samples: Int16Array): void {
    if (this.done || this.released) return;
    if (!this.opened) {
      if (this.held.length < MAX_HELD_FRAMES) this.held.push(samples);
      return;
    }
    this.sendFrame(samples);
  }

  /** Push-to-talk release (or stop in hands-free): the server evaluates what it has. */
  release(): void {
    if (this.released || this.done) return;
    this.released = true;
    if (this.opened) this.close();
  }

  /** The server ended it (silence, limit, error): stop sending. */
  finish(): void {
    this.done = true;
    this.held = [];
    if (this.opus && !this.released) this.opus.close();
  }

  private close(): void {
    if (this.opus) {
      // The encoder holds the last packet until flushed: send it before saying the answer is over.
      const encoder = this.opus;
      void encoder.flush().then(() => {
        this.transport.send("utterance-close");
        this.finish();
        encoder.close();
      });
      return;
    }
    this.transport.send("utterance-close");
    this.finish();
  }

  private sendPacket(packet: Uint8Array): void {
    if (this.done) return;
    this.transport.sendBytes(BYTES_MESSAGES.audio, encodeAudioFrame(this.sequence++, packet));
    this.framesSent++;
  }

  private sendFrame(samples: Int16Array): void {
    if (this.opus) {
      this.opus.encode(samples);
      return;
    }
    this.transport.sendBytes(BYTES_MESSAGES.audio, encodeAudioFrame(this.sequence++, samples));
    this.framesSent++;
  }
}

/** An id the server accepts (letters, digits, - and _), without needing a secure context. */
export function newAttemptId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return "web-" + [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
