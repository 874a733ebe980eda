import { Decoder as OpusDecoder } from "@evan/opus";
import { KotoError } from "../../errors.ts";
import { AUDIO_CODECS, bytesLEToInt16, copyBytesLEInto, isAudioCodec, type AudioCodec } from "./frame.ts";
import { Resampler } from "./resampler.ts";

/** Every stage after decoding works on 16 kHz mono PCM16: what VAD and speech-to-text want. */
export const PIPELINE_SAMPLE_RATE = 16000;

export const PCM16_SAMPLE_RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
/** Opus streams are encoded at one of these rates; any of them decodes straight to 16 kHz. */
export const OPUS_SAMPLE_RATES = [8000, 12000, 16000, 24000, 48000] as const;

export interface AudioFormat {
  codec: AudioCodec;
  /** The rate the client captured and encoded at. */
  sampleRate: number;
}

export interface AudioDecoder {
  readonly format: AudioFormat;
  /** One frame's payload in, 16 kHz mono samples out (a fresh array). */
  decode(payload: Uint8Array): Int16Array;
  /**
   * Only where decoding is a plain copy (16 kHz PCM): writes the samples of `bytes` (from byte
   * `from` on: a whole wire frame can be passed, its header skipped) into `target` at `offset` and
   * returns how many, with no array or view of its own per frame. Callers check `decodesInPlace` first.
   */
  decodeInto?(bytes: Uint8Array, target: Int16Array, offset: number, from?: number): number;
  /** True when `decodeInto` may be used for this stream. */
  readonly decodesInPlace: boolean;
  /**
   * Stands in for one lost frame: Opus packet-loss concealment (the decoder extrapolates from
   * what it heard), silence of the last frame's length for PCM. Keeps the timeline true.
   */
  conceal(): Int16Array;
  /** Samples still held back by the resampler's lookahead; call once at the end of the utterance. */
  flush(): Int16Array;
  close(): void;
}

/** Throws AUDIO_FORMAT_UNSUPPORTED with the supported list, so a client can correct itself. */
export function assertSupportedAudioFormat(format: AudioFormat): void {
  if (!isAudioCodec(format.codec)) {
    throw new KotoError(
      "AUDIO_FORMAT_UNSUPPORTED",
      `audio codec "${String(format.codec)}" is not supported; supported: ${AUDIO_CODECS.join(", ")}`,
    );
  }
  const rates: readonly number[] = format.codec === "opus" ? OPUS_SAMPLE_RATES : PCM16_SAMPLE_RATES;
  if (!rates.includes(format.sampleRate)) {
    throw new KotoError(
      "AUDIO_FORMAT_UNSUPPORTED",
      `${format.codec} audio at ${String(format.sampleRate)} Hz is not supported; supported: ${rates.join(", ")} Hz`,
    );
  }
}

export function createAudioDecoder(format: AudioFormat): AudioDecoder {
  assertSupportedAudioFormat(format);
  const frozen: AudioFormat = Object.freeze({ codec: format.codec, sampleRate: format.sampleRate });
  return frozen.codec === "opus" ? new OpusFrameDecoder(frozen) : new Pcm16FrameDecoder(frozen);
}

class Pcm16FrameDecoder implements AudioDecoder {
  readonly format: AudioFormat;
  private resampler: Resampler | null;
  private closed = false;
  /** Input samples of the last frame, the length of the silence that stands in for a lost one. */
  private lastFrameSamples = 0;

  constructor(format: AudioFormat) {
    this.format = format;
    this.resampler =
      format.sampleRate === PIPELINE_SAMPLE_RATE ? null : new Resampler(format.sampleRate, PIPELINE_SAMPLE_RATE);
  }

  get decodesInPlace(): boolean {
    return this.resampler === null && !this.closed;
  }

  decodeInto(bytes: Uint8Array, target: Int16Array, offset: number, from = 0): number {
    assertOpen(this.closed);
    assertWholeSamples(bytes.byteLength - from);
    this.lastFrameSamples = copyBytesLEInto(bytes, target, offset, from);
    return this.lastFrameSamples;
  }

  decode(payload: Uint8Array): Int16Array {
    assertOpen(this.closed);
    assertWholeSamples(payload.byteLength);
    const samples = bytesLEToInt16(payload);
    this.lastFrameSamples = samples.length;
    return this.resampler ? this.resampler.process(samples) : samples;
  }

  conceal(): Int16Array {
    assertOpen(this.closed);
    // Before any frame: 20 ms, the frame length every client of ours sends.
    const silence = new Int16Array(this.lastFrameSamples || this.format.sampleRate / 50);
    return this.resampler ? this.resampler.process(silence) : silence;
  }

  flush(): Int16Array {
    assertOpen(this.closed);
    return this.resampler ? this.resampler.flush() : new Int16Array(0);
  }

  close(): void {
    this.closed = true;
    this.resampler = null;
  }
}

/**
 * Opus carries its own bandwidth in every packet, so one decoder set to 16 kHz output handles
 * streams encoded at any Opus rate without a resampler. Packets from stereo encoders are
 * downmixed by libopus because the decoder is mono.
 */
class OpusFrameDecoder implements AudioDecoder {
  readonly format: AudioFormat;
  private decoder: OpusDecoder | null;
  /** The TOC byte of the last good packet (frame size and mode), reused to ask for concealment. */
  private lastToc: number | null = null;

  readonly decodesInPlace = false;

  constructor(format: AudioFormat) {
    this.format = format;
    this.decoder = new OpusDecoder({ channels: 1, sample_rate: PIPELINE_SAMPLE_RATE });
  }

  decode(payload: Uint8Array): Int16Array {
    const decoder = this.decoder;
    if (decoder === null) throw closedError();
    if (payload.byteLength === 0) {
      throw new KotoError("AUDIO_FRAME_CORRUPT", "an Opus frame must carry one packet, but it was empty");
    }
    let pcm: Uint8Array;
    try {
      pcm = decoder.decode(payload);
    } catch (error) {
      throw new KotoError(
        "AUDIO_FRAME_CORRUPT",
        `the Opus packet could not be decoded (${error instanceof Error ? error.message : String(error)}); send exactly one Opus packet per frame`,
      );
    }
    this.lastToc = payload[0]! & 0xfc;
    return bytesLEToInt16(pcm);
  }

  conceal(): Int16Array {
    const decoder = this.decoder;
    if (decoder === null) throw closedError();
    // A one-byte packet (TOC only, code 0) carries a zero-length frame, which libopus decodes
    // with its packet-loss concealment; the binding refuses an empty buffer.
    if (this.lastToc === null) return new Int16Array(PIPELINE_SAMPLE_RATE / 50);
    return bytesLEToInt16(decoder.decode(Uint8Array.of(this.lastToc)));
  }

  flush(): Int16Array {
    assertOpen(this.decoder === null);
    return new Int16Array(0);
  }

  close(): void {
    // The native decoder is released by the garbage collector; the WASM fallback can be freed now.
    (this.decoder as { drop?: () => void } | null)?.drop?.();
    this.decoder = null;
  }
}

function assertWholeSamples(payloadBytes: number): void {
  if (payloadBytes % 2 !== 0) {
    throw new KotoError(
      "AUDIO_FRAME_ODD_LENGTH",
      `pcm16 audio must hold whole 16-bit samples, but the frame carries ${payloadBytes} bytes of audio`,
    );
  }
}

function assertOpen(closed: boolean): void {
  if (closed) throw closedError();
}

function closedError(): KotoError {
  return new KotoError("AUDIO_DECODER_CLOSED", "this audio decoder was closed; start a new utterance", 500);
}
