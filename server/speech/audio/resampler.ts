/**
 * Streaming sample-rate converter: band-limited (Kaiser-windowed sinc) interpolation in
 * polyphase form, for any rational ratio between common audio rates.
 *
 * It keeps the tail of each chunk as history, so feeding audio in frames gives exactly the same
 * samples as converting it in one piece (no clicks at frame boundaries). Output is time-aligned
 * with input: output sample n sits at input time n * inputRate / outputRate. The price of that
 * alignment is a lookahead of half the filter (under 1 ms), which `flush()` releases at the end.
 */
export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Output samples per `down` input samples (the ratio reduced by the greatest common divisor). */
  private readonly up: number;
  private readonly down: number;
  private readonly taps: number;
  /** `up` phases of `taps` coefficients; phase p serves outputs at input time i + p / up. */
  private readonly coefficients: Float32Array;

  /** Input samples still needed, starting at absolute input index `historyStart`. */
  private history = new Float32Array(0);
  private historyStart = 0;
  /** Absolute input index and phase of the next output sample. */
  private nextIndex = 0;
  private nextPhase = 0;
  private inputCount = 0;

  constructor(inputRate: number, outputRate: number, quality: ResamplerQuality = {}) {
    if (!isPositiveInteger(inputRate) || !isPositiveInteger(outputRate)) {
      throw new RangeError(`sample rates must be positive integers, got ${inputRate} -> ${outputRate}`);
    }
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    const divisor = greatestCommonDivisor(inputRate, outputRate);
    this.up = outputRate / divisor;
    this.down = inputRate / divisor;
    const filter = polyphaseFilter(this.up, this.down, quality);
    this.taps = filter.taps;
    this.coefficients = filter.coefficients;
    this.reset();
  }

  /** Converts the next chunk; returns the output samples that are complete so far. */
  process(input: Int16Array): Int16Array {
    if (this.up === this.down) {
      this.inputCount += input.length;
      return input.slice();
    }
    this.append(input);
    return this.produce(this.historyStart + this.history.length);
  }

  /** Ends the stream: returns the remaining output (the lookahead) and makes the converter reusable. */
  flush(): Int16Array {
    if (this.up === this.down) {
      this.reset();
      return new Int16Array(0);
    }
    const end = this.inputCount;
    this.append(new Int16Array(this.taps), false);
    const tail = this.produce(end + this.taps, end);
    this.reset();
    return tail;
  }

  reset(): void {
    // Half a filter of zeros before the first sample, so the first outputs see silence, not garbage.
    const lead = this.taps / 2 - 1;
    this.history = new Float32Array(lead);
    this.historyStart = -lead;
    this.nextIndex = 0;
    this.nextPhase = 0;
    this.inputCount = 0;
  }

  /** Output samples this converter gives for `inputSamples` input samples, flush included. */
  outputLength(inputSamples: number): number {
    return Math.ceil((inputSamples * this.up) / this.down);
  }

  private append(input: Int16Array, isRealInput = true): void {
    // Keep only what the next output still reads: from nextIndex - taps/2 + 1 onwards.
    const keepFrom = Math.max(this.historyStart, this.nextIndex - this.taps / 2 + 1);
    const kept = this.history.subarray(keepFrom - this.historyStart);
    const history = new Float32Array(kept.length + input.length);
    history.set(kept);
    history.set(input, kept.length);
    this.history = history;
    this.historyStart = keepFrom;
    if (isRealInput) this.inputCount += input.length;
  }

  /**
   * Emits outputs whose whole filter window lies before `availableEnd`; when `timeEnd` is given,
   * also stops at outputs whose time reaches it (the end of real input).
   */
  private produce(availableEnd: number, timeEnd = Number.POSITIVE_INFINITY): Int16Array {
    const { up, down, taps, coefficients, history, historyStart } = this;
    const halfTaps = taps / 2;
    const capacity = Math.ceil(((availableEnd - this.nextIndex) * up) / down) + 1;
    const output = new Int16Array(Math.max(0, capacity));
    let count = 0;
    let index = this.nextIndex;
    let phase = this.nextPhase;
    while (index + halfTaps < availableEnd && index + phase / up < timeEnd) {
      const first = index - halfTaps + 1 - historyStart;
      const base = phase * taps;
      let sum = 0;
      for (let k = 0; k < taps; k++) sum += coefficients[base + k] * history[first + k];
      output[count++] = sum >= 32767 ? 32767 : sum <= -32768 ? -32768 : Math.round(sum);
      phase += down;
      if (phase >= up) {
        index += Math.floor(phase / up);
        phase %= up;
      }
    }
    this.nextIndex = index;
    this.nextPhase = phase;
    return output.subarray(0, count);
  }
}

export interface ResamplerQuality {
  /** Zero crossings of the sinc on each side, counted at the lower of the two rates. */
  zeroCrossings?: number;
  /** Passband edge as a fraction of the lower rate's Nyquist frequency. */
  cutoff?: number;
  /** Kaiser window shape; higher means more stopband attenuation and a wider transition. */
  kaiserBeta?: number;
}

const DEFAULT_QUALITY: Required<ResamplerQuality> = { zeroCrossings: 12, cutoff: 0.9, kaiserBeta: 8 };

interface PolyphaseFilter {
  taps: number;
  coefficients: Float32Array;
}

const filterCache = new Map<string, PolyphaseFilter>();

/** Filters are immutable and shared by every converter with the same ratio and quality. */
function polyphaseFilter(up: number, down: number, quality: ResamplerQuality): PolyphaseFilter {
  const { zeroCrossings, cutoff, kaiserBeta } = { ...DEFAULT_QUALITY, ...quality };
  const key = `${up}/${down}/${zeroCrossings}/${cutoff}/${kaiserBeta}`;
  const cached = filterCache.get(key);
  if (cached) return cached;

  // Cutoff in cycles per input sample: below the Nyquist frequency of the lower rate.
  const cutoffPerInputSample = (Math.min(1, up / down) / 2) * cutoff;
  const halfWidth = zeroCrossings / (2 * cutoffPerInputSample);
  const taps = 2 * Math.ceil(halfWidth);
  const halfTaps = taps / 2;
  const coefficients = new Float32Array(up * taps);
  const windowNorm = besselI0(kaiserBeta);
  for (let phase = 0; phase < up; phase++) {
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      // Distance from the output instant (index + phase/up) to input sample index - halfTaps + 1 + k.
      const distance = phase / up + halfTaps - 1 - k;
      const ratio = distance / halfWidth;
      const window = Math.abs(ratio) >= 1 ? 0 : besselI0(kaiserBeta * Math.sqrt(1 - ratio * ratio)) / windowNorm;
      const value = 2 * cutoffPerInputSample * sinc(2 * cutoffPerInputSample * distance) * window;
      coefficients[phase * taps + k] = value;
      sum += value;
    }
    // Unity gain at DC for every phase, so slow signals carry no phase-dependent ripple.
    for (let k = 0; k < taps; k++) coefficients[phase * taps + k] /= sum;
  }
  const filter = { taps, coefficients };
  filterCache.set(key, filter);
  return filter;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}
