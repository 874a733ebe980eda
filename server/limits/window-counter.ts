/**
 * "At most N in any window of W ms", per key: the count behind per-minute limits (typed answers per
 * learner, rooms opened per account, re-evaluations per tutor). Pure and clock-injected; it keeps the
 * times of the last N only, and once a window drops the keys whose window has emptied (every account
 * that ever asked would otherwise stay in memory).
 */
export class WindowCounter {
  private readonly times = new Map<string, number[]>();
  private sweptAt: number;

  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {
    this.sweptAt = now();
  }

  /** Counts one for `key` and returns 0, or, when the window is full, counts nothing and returns the ms until a slot frees. */
  take(key: string): number {
    const now = this.now();
    if (now - this.sweptAt >= this.windowMs) this.sweep(now);
    const recent = (this.times.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.max) {
      this.times.set(key, recent);
      return recent[0] + this.windowMs - now;
    }
    recent.push(now);
    this.times.set(key, recent);
    return 0;
  }

  /** Keys that asked at all (for tests: the sweep keeps this bounded). */
  get size(): number {
    return this.times.size;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, times] of this.times) if (now - times[times.length - 1] >= this.windowMs) this.times.delete(key);
  }
}
