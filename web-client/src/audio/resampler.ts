/**
 * Streaming sample-rate conversion for microphone audio (44.1/48 kHz in, 16 kHz out), used inside
 * the capture worklet. Windowed-sinc interpolation with the cut-off below the output's Nyquist
 * frequency, so downsampling does not fold the 8–24 kHz band back into speech as aliasing.
 */
import { FRAME_SAMPLES, floatToPcm16 } from "./audio-frames.ts";

/** Half the kernel width, in input samples at the input rate's scale. */
const HALF_WIDTH = 12;
/** Fractional positions the kernel is tabulated at: 1/128 of a sample is far below audible error. */
const PHASES = 128;

export class StreamResampler {
  private readonly step: number;
  private readonly halfWidth: number;
  /** PHASES + 1 kernels of 2 × halfWidth taps, each normalised to unity gain. */
  private readonly kernels: Float32Array[] = [];
  private buffer = new Float32Array(0);
  /** Position of the next output sample, in input samples from the start of `buffer`. */
  private position = 0;

  constructor(readonly inputRate: number, readonly outputRate: number) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError("sample rates must be positive");
    this.step = inputRate / outputRate;
    // Normalised to the input rate; a little under Nyquist of the lower rate.
    const cutoff = 0.45 * Math.min(1, outputRate / inputRate);
    this.halfWidth = Math.ceil(HALF_WIDTH * Math.max(1, this.step));
    for (let phase = 0; phase <= PHASES; phase++) this.kernels.push(kernel(phase / PHASES, this.halfWidth, cutoff));
  }

  process(input: Float32Array): Float32Array {
    if (this.inputRate === this.outputRate) return input.slice();
    const joined = new Float32Array(this.buffer.length + input.length);
    joined.set(this.buffer);
    joined.set(input, this.buffer.length);
    this.buffer = joined;

    const output = new Float32Array(Math.ceil(input.length / this.step) + 2);
    let count = 0;
    const taps = 2 * this.halfWidth;
    while (this.position + this.halfWidth < this.buffer.length) {
      const whole = Math.floor(this.position);
      const weights = this.kernels[Math.round((this.position - whole) * PHASES)];
      // Taps before the start of the stream read as silence.
      const first = whole - this.halfWidth + 1;
      let sum = 0;
      for (let tap = first < 0 ? -first : 0; tap < taps; tap++) sum += this.buffer[first + tap] * weights[tap];
      output[count++] = sum;
      this.position += this.step;
    }
    const keepFrom = Math.max(0, Math.floor(this.position) - this.halfWidth);
    if (keepFrom > 0) {
      this.buffer = this.buffer.slice(keepFrom);
      this.position -= keepFrom;
    }
    return output.slice(0, count);
  }
}

/** A Hann-windowed sinc for an output sample `fraction` of an input sample past the tap at index halfWidth - 1. */
function kernel(fraction: number, halfWidth: number, cutoff: number): Float32Array {
  const weights = new Float32Array(2 * halfWidth);
  let total = 0;
  for (let tap = 0; tap < weights.length; tap++) {
    const distance = tap - halfWidth + 1 - fraction;
    const window = 0.5 + 0.5 * Math.cos((Math.PI * distance) / (halfWidth + 1));
    const argument = 2 * cutoff * distance;
    const sinc = argument === 0 ? 1 : Math.sin(Math.PI * argument) / (Math.PI * argument);
    weights[tap] = window * sinc;
    total += weights[tap];
  }
  for (let tap = 0; tap < weights.length; tap++) weights[tap] /= total;
  return weights;
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
