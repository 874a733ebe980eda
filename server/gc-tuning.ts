/**
 * V8's old-generation limit, set for a server whose event loop relays live audio.
 *
 * After each full (mark-compact) collection V8 sets the next trigger a little above what survived,
 * by a factor it derives from how fast its collector runs compared with the program's allocation.
 * For this server that factor stays near its minimum: with ~60 MB alive, the next full collection
 * starts after ~8 MB more reach the old generation, i.e. every half second at 150 speakers. Each
 * one ends with a 10–20 ms pause of the event loop on a busy 2-core machine, which every frame in
 * flight waits out: it was the relay's p99 (docs/capacity.md §4.9). `--heap-growing-percent=200`
 * lets the old generation grow to 3× what survived first: a full collection every few seconds,
 * for a larger heap under load (≈ +100 MB at 200 speakers; idle memory is unchanged).
 *
 * V8 reads this flag each time it sets a limit, so setting it at start-up takes effect from the
 * next collection on (measured: the bench's full collections per window drop the same as with the
 * command-line flag).
 */
import { setFlagsFromString } from "node:v8";

/** Applies HEAP_GROWING_PERCENT (0 leaves V8's own heuristic alone). */
export function tuneGarbageCollector(heapGrowingPercent: number): void {
  if (!Number.isInteger(heapGrowingPercent) || heapGrowingPercent < 0) throw new RangeError(`bad heap growing percent ${heapGrowingPercent}`);
  if (heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
}
