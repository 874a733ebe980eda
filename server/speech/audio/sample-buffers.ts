/**
 * Whole-utterance buffers, reused. An utterance is recorded in one-second chunks (sample-chunks.ts);
 * when it ends it is copied once into one of these (160 KB size classes, doubling) for keeping and
 * evaluating, and the buffer is lent only while those run. Allocated fresh each time, these came to
 * about a megabyte of ArrayBuffer memory per answer, and V8 starts a full (mark-compact) collection
 * whenever ArrayBuffer memory has grown by some tens of MB since the last one (docs/capacity.md §4.9,
 * §4.19). A released buffer goes back to a free list by size class, up to a bound.
 *
 * The owner of an acquired buffer must release it only when nothing (a pending file write, a
 * request body) still reads it, and must not touch it afterwards; a reused buffer holds the previous
 * utterance's samples, so readers read only what was written.
 */
export class SampleBuffers {
  private readonly free = new Map<number, Int16Array[]>();
  private pooledSamples = 0;

  /**
   * @param firstSize the smallest size class (samples); classes double from it
   * @param maxPooledSamples what the free lists may hold in all (beyond it a released buffer is left to the GC)
   */
  constructor(private readonly firstSize: number, private readonly maxPooledSamples: number) {
    if (!Number.isInteger(firstSize) || firstSize <= 0) throw new RangeError(`bad first size ${firstSize}`);
  }

  /** A buffer of at least `samples` (its size class), reused when one is free. */
  acquire(samples: number): Int16Array {
    const size = this.sizeClassOf(samples);
    const reused = this.free.get(size)?.pop();
    if (reused) {
      this.pooledSamples -= size;
      return reused;
    }
    return new Int16Array(size);
  }

  /** Back to the free list (a buffer not of a size class, e.g. a view, is left to the GC). */
  release(buffer: Int16Array): void {
    const size = buffer.length;
    if (buffer.byteOffset !== 0 || buffer.buffer.byteLength !== buffer.byteLength || this.sizeClassOf(size) !== size) return;
    if (this.pooledSamples + size > this.maxPooledSamples) return;
    const list = this.free.get(size) ?? [];
    // Listed twice, it would be handed to two utterances at once; a release (in a finally) must not throw either.
    if (list.includes(buffer)) return;
    list.push(buffer);
    this.free.set(size, list);
    this.pooledSamples += size;
  }

  /** Samples held by the free lists (for tests and the bench). */
  get pooled(): number {
    return this.pooledSamples;
  }

  private sizeClassOf(samples: number): number {
    let size = this.firstSize;
    while (size < samples) size *= 2;
    return size;
  }
}
