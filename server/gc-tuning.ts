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
import type { Store } from "./store/store.ts";

/** Applies HEAP_GROWING_PERCENT (0 leaves V8's own heuristic alone). */
export function tuneGarbageCollector(heapGrowingPercent: number): void {
  if (!Number.isInteger(heapGrowingPercent) || heapGrowingPercent < 0) throw new RangeError(`bad heap growing percent ${heapGrowingPercent}`);
  if (heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
}

/**
 * Once, when start-up is done and before the first client: a "last resort" collection, the one V8
 * runs under memory pressure, which also shrinks the young generation and hands pooled pages back
 * to the system. Start-up (content, migrations, compiling the sources, the WASM modules) grows the
 * young generation to its maximum and leaves ~40 MB of pages that V8 keeps for later; an idle server
 * kept them for good (docs/capacity.md §4.13: idle RSS 318–338 → 278–295 MB). Needs `--expose-gc`
 * (SERVER_NODE_FLAGS); without it (tests, a bare `node server/main.ts`) nothing happens.
 * Returns the resident memory given back, in MB, or null when it could not run.
 */
export async function releaseStartUpMemory(store: Pick<Store, "releaseMemory">): Promise<number | null> {
  const gc = (globalThis as { gc?: (options?: object) => unknown }).gc;
  if (typeof gc !== "function") return null;
  const before = process.memoryUsage.rss();
  // The embedded database's thread first (~10 MB), then this one.
  await store.releaseMemory?.();
  gc({ type: "major", execution: "sync", flavor: "last-resort" });
  return Math.round((before - process.memoryUsage.rss()) / 100_000) / 10;
}
