/**
 * "This fast at most", per key: a token bucket holding up to `capacity`, refilled at `perSecond`.
 * The count behind a connection's message budget (rooms/lesson/message-budget.ts) and its audio byte
 * budget (server/speech/limits/usage-limits.ts). Pure and clock-injected, like WindowCounter; a bucket
 * left alone long enough to be full again is the same as none, so `sweep` drops those.
 */
interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  /** How long an empty bucket takes to fill: after that a bucket is as good as a fresh one. */
  readonly refillMs: number;

  constructor(readonly capacity: number, readonly perSecond: number, private readonly now: () => number = Date.now) {
    if (!(capacity > 0) || !(perSecond > 0)) throw new RangeError(`a token bucket needs a positive capacity and rate, not ${capacity} and ${perSecond}/s`);
    this.refillMs = (capacity / perSecond) * 1000;
  }

  /**
   * Takes `amount` from `key`'s bucket and returns 0; or, when it holds less, takes nothing and returns
   * the ms until it would hold enough (Infinity for more than the bucket can ever hold).
   * `now`: the caller's reading of the clock, when it has one.
   */
  take(key: string, amount: number, now = this.now()): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.capacity, refilledAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (Math.max(0, now - bucket.refilledAt) * this.perSecond) / 1000);
    bucket.refilledAt = now;
    if (amount > bucket.tokens) return amount > this.capacity ? Infinity : ((amount - bucket.tokens) * 1000) / this.perSecond;
    bucket.tokens -= amount;
    return 0;
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  /** Drops the buckets that have been full again for a while (nothing would tell them from new ones). */
  sweep(now = this.now()): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.refilledAt >= this.refillMs) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }
}
