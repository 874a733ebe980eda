/**
 * Streaming sample-rate conversion for microphone audio (44.1/48 kHz in, 16 kHz out), used inside
 * the capture worklet. Windowed-sinc interpolation with the cut-off below the output's Nyquist
 * frequency, so downsampling does not fold the 8–24 kHz band back into speech as aliasing.
 */
import { FRAME_SAMPLES, floatToPcm16 } from "./audio-frames.ts";

/** Half the kernel width, in input samples at the input rate's scale. */
const HALF_WIDTH = 12;

export class StreamResampler {
  private readonly step: number;
  private readonly cutoff: number;
  private readonly halfWidth: number;
  private buffer = new Float32Array(0);
  /** Position of the next output sample, in input samples from the start of `buffer`. */
  private position = 0;

  constructor(readonly inputRate: number, readonly outputRate: number) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError("sample rates must be positive");
    this.step = inputRate / outputRate;
    // Normalised to the input rate; a little under Nyquist of the lower rate.
    this.cutoff = 0.45 * Math.min(1, outputRate / inputRate);
    this.halfWidth = Math.ceil(HALF_WIDTH * Math.max(1, this.step));
  }

  process(input: Float32Array): Float32Array {
    if (this.inputRate === this.outputRate) return input.slice();
    const joined = new Float32Array(this.buffer.length + input.length);
    joined.set(this.buffer);
    joined.set(input, this.buffer.length);
    this.buffer = joined;

    const output: number[] = [];
    // The first output sample may look back before the stream began: treat that as silence.
    while (this.position + this.halfWidth < this.buffer.length) {
      output.push(this.sampleAt(this.position));
      this.position += this.step;
    }
    const keepFrom = Math.max(0, Math.floor(this.position) - this.halfWidth);
    if (keepFrom > 0) {
      this.buffer = this.buffer.slice(keepFrom);
      this.position -= keepFrom;
    }
    return Float32Array.from(output);
  }

  private sampleAt(position: number): number {
    const first = Math.ceil(position - this.halfWidth);
    const last = Math.floor(position + this.halfWidth);
    let sum = 0;
    let weights = 0;
    for (let index = first; index <= last; index++) {
      const distance = index - position;
      const window = 0.5 + 0.5 * Math.cos((Math.PI * distance) / (this.halfWidth + 1));
      const argument = 2 * this.cutoff * distance;
      const sinc = argument === 0 ? 1 : Math.sin(Math.PI * argument) / (Math.PI * argument);
      const weight = window * sinc;
      weights += weight;
      if (index >= 0) sum += this.buffer[index] * weight;
    }
    return weights === 0 ? 0 : sum / weights;
  }
}

/** Collects resampled audio into fixed-size PCM16 frames. */
export class FrameAssembler {
  private pending = new Int16Array(0);
  private pendingLength = 0;

  constructor(readonly frameSamples = FRAME_SAMPLES) {
    this.pending = new Int16Array(frameSamples);
  }

  push(samples: Float32Array): Int16Array[] {
    const frames: Int16Array[] = [];
    for (let index = 0; index < samples.length; index++) {
      this.pending[this.pendingLength++] = floatToPcm16(samples[index]);
      if (this.pendingLength === this.frameSamples) {
        frames.push(this.pending);
        this.pending = new Int16Array(this.frameSamples);
        this.pendingLength = 0;
      }
    }
    return frames;
  }
}

/** Root-mean-square level of a block, on a 0–1 scale suited to a meter (speech sits around 0.3–0.8). */
export function meterLevel(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let energy = 0;
  for (let index = 0; index < samples.length; index++) energy += samples[index] * samples[index];
  const rms = Math.sqrt(energy / samples.length);
  if (rms <= 0) return 0;
  // -60 dBFS .. 0 dBFS mapped onto 0..1.
  const decibels = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (decibels + 60) / 60));
}
