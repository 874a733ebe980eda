/** Percentiles and small helpers for latency samples (milliseconds). */
import type { RecordableHistogram } from "node:perf_hooks";

export interface Summary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/** Nearest-rank percentile of an already sorted array. */
function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summarize(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const r = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);
  return {
    count: sorted.length,
    p50: r(percentile(sorted, 50)),
    p95: r(percentile(sorted, 95)),
    p99: r(percentile(sorted, 99)),
    max: r(sorted.length ? sorted[sorted.length - 1] : null),
    mean: r(sorted.length ? sum / sorted.length : null),
  };
}

/** A growable list of numbers without boxing. */
export class Samples {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(runners);
  return results;
}

/** Rejects with `what` after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

/**
 * One value of a `monitorEventLoopDelay` histogram sampled every `resolutionMs`, as lag: the histogram
 * holds whole timer intervals, so the lag is what exceeds the interval (ms, to `places` decimals).
 */
export function loopLagFromNs(ns: number, resolutionMs = 5, places = 1): number {
  const scale = 10 ** places;
  return Math.max(0, Math.round((ns / 1e6 - resolutionMs) * scale) / scale);
}

/** Event-loop lag p99 and max (ms, to 0.1) of a histogram sampled every `resolutionMs`. */
export function loopLagMs(histogram: Pick<RecordableHistogram, "percentile" | "max">, resolutionMs = 5): { p99: number; max: number } {
  return { p99: loopLagFromNs(histogram.percentile(99), resolutionMs), max: loopLagFromNs(histogram.max, resolutionMs) };
}
