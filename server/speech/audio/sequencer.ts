import { KotoError } from "../../errors.ts";

export interface FrameSequencerOptions {
  /**
   * How many frames may arrive ahead of a missing one before it is declared lost. A larger window
   * rescues later stragglers but delays everything behind a real loss by that many frames.
   */
  window?: number;
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
  /** Frames that never came in time (delivered as LOST for the decoder to conceal). */
  lost: number;
  /** Frames that arrived after they had already been declared lost (dropped). */
  late: number;
}

/** The default `maxGapFrames`: the furthest jump ahead the pipeline conceals rather than refuses. */
export const MAX_GAP_FRAMES = 250;

/** Stands where a frame was lost: the decoder conceals it (Opus packet-loss concealment, or silence for PCM). */
export const LOST = null;
export type Sequenced<Frame> = Frame | typeof LOST;

/**
 * Puts one utterance's wire frames back in order before anything stateful sees them (the Opus
 * decoder and the resampler carry state from frame to frame). Delivery is in sequence order with
 * no holes: each frame, or LOST where a frame never came in time, so the decoder can conceal it
 * and the timeline the endpointer measures stays true.
 */
export class FrameSequencer<Frame = Uint8Array> {
  private readonly window: number;
  private readonly maxGapFrames: number;
  private nextSequence = 0;
  private readonly pending = new Map<number, Frame>();
  /** Sequence numbers that were replaced by silence, to tell late frames from duplicates. */
  private readonly lostSequences = new Set<number>();
  private highestSeen = -1;
  private readonly counts: FrameSequencerStats = { received: 0, duplicates: 0, reordered: 0, lost: 0, late: 0 };

  constructor(options: FrameSequencerOptions = {}) {
    this.window = options.window ?? 4;
    this.maxGapFrames = options.maxGapFrames ?? MAX_GAP_FRAMES;
    if (!Number.isInteger(this.window) || this.window < 1) throw new RangeError("window must be a positive integer");
  }

  /**
   * The usual case without buffering: `sequence` is the frame expected next and nothing waits.
   * Then it is counted as delivered and true returned (the caller uses the frame at once);
   * otherwise nothing changes and the frame goes through `push`.
   */
  takeInOrder(sequence: number): boolean {
    if (sequence !== this.nextSequence || this.pending.size !== 0) return false;
    this.counts.received++;
    this.highestSeen = Math.max(this.highestSeen, sequence);
    this.nextSequence++;
    return true;
  }

  /** Accepts one frame; returns the frames now ready, oldest first (LOST for a missing one). */
  push(sequence: number, frame: Frame): Sequenced<Frame>[] {
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
    // The usual case, a frame in order with nothing waiting: no buffering needed.
    if (sequence === this.nextSequence && this.pending.size === 0) {
      this.highestSeen = Math.max(this.highestSeen, sequence);
      this.nextSequence++;
      return [frame];
    }
    if (sequence < this.highestSeen) this.counts.reordered++;
    this.highestSeen = Math.max(this.highestSeen, sequence);
    this.pending.set(sequence, frame);

    const ready: Sequenced<Frame>[] = [];
    this.deliverConsecutive(ready);
    while (this.pending.size > 0 && this.highestSeen - this.nextSequence >= this.window) {
      this.declareLost(ready);
      this.deliverConsecutive(ready);
    }
    return ready;
  }

  /** End of the utterance: delivers everything still buffered, LOST for the holes. */
  flush(): Sequenced<Frame>[] {
    const ready: Sequenced<Frame>[] = [];
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

  private deliverConsecutive(ready: Sequenced<Frame>[]): void {
    while (this.pending.has(this.nextSequence)) {
      ready.push(this.pending.get(this.nextSequence)!);
      this.pending.delete(this.nextSequence);
      this.nextSequence++;
    }
  }

  private declareLost(ready: Sequenced<Frame>[]): void {
    this.counts.lost++;
    this.lostSequences.add(this.nextSequence);
    ready.push(LOST);
    this.nextSequence++;
  }
}
