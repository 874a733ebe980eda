// Test helpers: fixtures and small signal measurements (not a test file: no ".test").
import { readFileSync } from "node:fs";
import { decodeWav, type WavAudio } from "../../../server/speech/audio/wav.ts";

export type FixtureName =
  | "annyeonghaseyo"
  | "annyeonghaseyo-48k"
  | "jeoneun-minsu"
  | "two-phrases-pause"
  | "noisy-gamsahamnida"
  | "silence";

export function fixtureBytes(name: FixtureName): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/audio/${name}.wav`, import.meta.url)));
}

export function loadFixture(name: FixtureName): WavAudio {
  return decodeWav(fixtureBytes(name));
}

export function sine(sampleRate: number, frequency: number, length: number, amplitude = 10000): Int16Array {
  const samples = new Int16Array(length);
  for (let i = 0; i < length; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
  return samples;
}

/** Amplitude of one frequency in the signal (Hann-windowed single DFT bin). */
export function toneAmplitude(samples: ArrayLike<number>, sampleRate: number, frequency: number): number {
  let real = 0;
  let imaginary = 0;
  let windowSum = 0;
  const n = samples.length;
  for (let i = 0; i < n; i++) {
    const window = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    const angle = (2 * Math.PI * frequency * i) / sampleRate;
    real += samples[i]! * window * Math.cos(angle);
    imaginary -= samples[i]! * window * Math.sin(angle);
    windowSum += window;
  }
  return (2 * Math.hypot(real, imaginary)) / windowSum;
}

export function rms(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

export function decibels(ratio: number): number {
  return 20 * Math.log10(ratio);
}

/** Normalized correlation of a[i] with b[i + lag] over the overlap. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>, lag = 0): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
    const x = a[i]!;
    const y = b[i + lag]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Best correlation over lags 0..maxLag (codec delay), with the lag found. */
export function bestCorrelation(reference: ArrayLike<number>, candidate: ArrayLike<number>, maxLag: number) {
  let best = { lag: 0, correlation: -1 };
  for (let lag = 0; lag <= maxLag; lag++) {
    const value = correlation(reference, candidate, lag);
    if (value > best.correlation) best = { lag, correlation: value };
  }
  return best;
}

export function concat(chunks: readonly Int16Array[]): Int16Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const joined = new Int16Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

export function chunks(samples: Int16Array, size: number): Int16Array[] {
  const parts: Int16Array[] = [];
  for (let offset = 0; offset < samples.length; offset += size) parts.push(samples.subarray(offset, offset + size));
  return parts;
}

/** Asserts that `action` throws a KotoError with `code`; returns it for further checks. */
export function expectKotoError(action: () => unknown, code: string): Error & { code: string } {
  try {
    action();
  } catch (error) {
    const coded = error as Error & { code?: string };
    if (coded.code !== code) throw new Error(`expected ${code}, got ${coded.code ?? "no code"}: ${coded.message}`);
    return coded as Error & { code: string };
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}
