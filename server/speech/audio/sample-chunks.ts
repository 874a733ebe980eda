/**
 * An utterance being recorded, in fixed one-second chunks from one free list.
 *
 * Why not one buffer that doubles (SampleBuffers alone, before): a 30 s answer grew through four
 * size classes (160 KB to 1.28 MB), each copied into the next, and held the largest for the whole
 * utterance. With hundreds of learners speaking, the bounded free list could not hold those sizes, so
 * 10–40 MB a second of ArrayBuffers were newly allocated; V8 starts a full collection when
 * ArrayBuffer memory grows by some tens of MB, and each was followed by a 60–75 ms stall of the event
 * loop that relays live audio (docs/capacity.md §4.19). Chunks are all one size: any chunk an
 * utterance gives back serves the next one, nothing is copied while recording, and the contiguous
 * copy that the evaluation needs is made once, at the end, and lent only while it runs.
 */
export class ChunkPool {
  private readonly free: Int16Array[] = [];

  /**
   * @param chunkSamples samples in a chunk
   * @param maxFree chunks the free list may hold (beyond it a released chunk is left to the GC)
   */
  constructor(readonly chunkSamples: number, private readonly maxFree: number) {
    if (!Number.isInteger(chunkSamples) || chunkSamples <= 0) throw new RangeError(`bad chunk size ${chunkSamples}`);
  }

  acquire(): Int16Array {
    return this.free.pop() ?? new Int16Array(this.chunkSamples);
  }

  /** Back to the free list; the caller must not touch it afterwards. */
  release(chunk: Int16Array): void {
    if (chunk.length !== this.chunkSamples || chunk.byteOffset !== 0 || chunk.buffer.byteLength !== chunk.byteLength) return;
    if (this.free.length >= this.maxFree) return;
    this.free.push(chunk);
  }

  /** Chunks on the free list (for tests). */
  get freeChunks(): number {
    return this.free.length;
  }
}

/** Samples appended in order, stored chunk by chunk. */
export class ChunkedSamples {
  private readonly chunks: Int16Array[] = [];
  private count = 0;

  constructor(private readonly pool: ChunkPool) {}

  get length(): number {
    return this.count;
  }

  /**
   * The chunk where the next `count` samples can be written in place (its free tail, from
   * `tailOffset` on), or null when they would cross into the next chunk. Write there, then
   * `commit(written)`. (A chunk and an offset rather than an object holding both: this runs for every
   * frame of every speaker.)
   */
  tail(count: number): Int16Array | null {
    if (this.tailOffset + count > this.pool.chunkSamples) return null;
    return this.openChunk();
  }

  /** Where in its chunk the next sample goes. */
  get tailOffset(): number {
    return this.count % this.pool.chunkSamples;
  }

  /** Counts `written` samples that were just written at `tail`'s place. */
  commit(written: number): void {
    this.count += written;
  }

  /** Copies `samples` on, into as many chunks as they need. */
  append(samples: Int16Array): void {
    const size = this.pool.chunkSamples;
    let from = 0;
    while (from < samples.length) {
      const offset = this.count % size;
      const take = Math.min(size - offset, samples.length - from);
      this.openChunk().set(samples.subarray(from, from + take), offset);
      from += take;
      this.count += take;
    }
  }

  /** Views of the samples from `start` to `end`, one per chunk they span (nothing copied). */
  views(start: number, end: number): Int16Array[] {
    const size = this.pool.chunkSamples;
    const views: Int16Array[] = [];
    for (let at = start; at < end;) {
      const offset = at % size;
      const take = Math.min(size - offset, end - at);
      views.push(this.chunks[Math.floor(at / size)].subarray(offset, offset + take));
      at += take;
    }
    return views;
  }

  /** Copies every sample into `target` (at least `length` long). */
  copyTo(target: Int16Array): void {
    let at = 0;
    for (const view of this.views(0, this.count)) {
      target.set(view, at);
      at += view.length;
    }
  }

  /** The chunk the next sample goes into: a new one from the pool when every chunk so far is full. */
  private openChunk(): Int16Array {
    if (this.chunks.length * this.pool.chunkSamples === this.count) this.chunks.push(this.pool.acquire());
    return this.chunks[this.chunks.length - 1];
  }

  /** Every chunk back to the pool; nothing is held afterwards. */
  release(): void {
    for (const chunk of this.chunks.splice(0)) this.pool.release(chunk);
    this.count = 0;
  }
}
