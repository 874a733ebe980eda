import { KotoError } from "../../errors.ts";

export interface FrameSequencerOptions {
  /**
   * How many frames may arrive ahead of a missing one before it is declared lost. A larger window
   * rescues later stragglers but delays everything behind a real loss by that many frames.
   */
  window?: number;
  /** Silence length for a lost frame before any frame has been seen (after that: the last frame's length). */
  frameSamples?: number;
  /** A jump further ahead than this is a broken client, not network loss (it would fill seconds of silence). */
  maxGapFrames?: number;
}

export interface FrameSequencerStats {
  /** Frames handed to `push`, including duplicates and late ones. */
  received: number;
  /** Frames seen before (still buffered or already delivered). */
  duplicates: number;
  /** Frames that arrived after a later frame and were put back in their place. */
  reordered: number;
  /** Frames that never came in time and were replaced by silence. */
  lost: number;
  /** Frames that arrived after they had already been replaced by silence (dropped). */
  late: number;
}

/**
 * Puts one utterance's frames back in order. Delivery is in sequence order with no holes:
 * each frame's samples, or silence of a frame's length where a frame was lost, so the timeline
 * the endpointer measures stays true.
 */
export class FrameSequencer {
  private readonly window: number;
  private readonly maxGapFrames: number;
  private silenceSamples: number;
  private nextSequence = 0;
  private readonly pending = new Map<number, Int16Array>();
  /** Sequence numbers that were replaced by silence, to tell late frames from duplicates. */
  private readonly lostSequences = new Set<number>();
  private highestSeen = -1;
  private readonly counts: FrameSequencerStats = { received: 0, duplicates: 0, reordered: 0, lost: 0, late: 0 };

  constructor(options: FrameSequencerOptions = {}) {
    this.window = options.window ?? 4;
    this.silenceSamples = options.frameSamples ?? 320;
    this.maxGapFrames = options.maxGapFrames ?? 250;
    if (!Number.isInteger(this.window) || this.window < 1) throw new RangeError("window must be a positive integer");
  }

  /** Accepts one decoded frame; returns the samples now ready, oldest first. */
  push(sequence: number, samples: Int16Array): Int16Array[] {
    this.counts.received++;
    if (sequence < this.nextSequence || this.pending.has(sequence)) {
      if (this.lostSequences.has(sequence)) {
        this.lostSequences.delete(sequence);
        this.counts.late++;
      } else {
        this.counts.duplicates++;
      }
      return [];
    }
    if (sequence - this.nextSequence > this.maxGapFrames) {
      throw new KotoError(
        "AUDIO_SEQUENCE_GAP",
        `audio frame ${sequence} arrived while frame ${this.nextSequence} was expected; sequence numbers must start at 0 for each utterance and count up by one`,
      );
    }
    if (sequence < this.highestSeen) this.counts.reordered++;
    this.highestSeen = Math.max(this.highestSeen, sequence);
    this.pending.set(sequence, samples);

    const ready: Int16Array[] = [];
    this.deliverConsecutive(ready);
    while (this.pending.size > 0 && this.highestSeen - this.nextSequence >= this.window) {
      this.declareLost(ready);
      this.deliverConsecutive(ready);
    }
    return ready;
  }

  /** End of the utterance: delivers everything still buffered, filling holes with silence. */
  flush(): Int16Array[] {
    const ready: Int16Array[] = [];
    while (this.pending.size > 0) {
      this.deliverConsecutive(ready);
      if (this.pending.size > 0) this.declareLost(ready);
    }
    return ready;
  }

  stats(): FrameSequencerStats {
    return { ...this.counts };
  }

  /** The next sequence number the sequencer is waiting for. */
  get expectedSequence(): number {
    return this.nextSequence;
  }

  private deliverConsecutive(ready: Int16Array[]): void {
    for (let samples = this.pending.get(this.nextSequence); samples; samples = this.pending.get(this.nextSequence)) {
      this.pending.delete(this.nextSequence);
      if (samples.length > 0) this.silenceSamples = samples.length;
      ready.push(samples);
      this.nextSequence++;
    }
  }

  private declareLost(ready: Int16Array[]): void {
    this.counts.lost++;
    this.lostSequences.add(this.nextSequence);
    ready.push(new Int16Array(this.silenceSamples));
    this.nextSequence++;
  }
}
