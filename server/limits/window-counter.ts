/**
 * "At most N in any window of W ms", per key: the count behind per-minute limits (typed answers per
 * learner, rooms opened per account). Pure and clock-injected; it keeps the times of the last N only,
 * and forgets a key whose window has emptied when it is next asked about.
 */
export class WindowCounter {
  private readonly times = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Counts one for `key` and returns 0, or, when the window is full, counts nothing and returns the ms until a slot frees. */
  take(key: string): number {
    const now = this.now();
    const recent = (this.times.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.max) {
      this.times.set(key, recent);
      return recent[0] + this.windowMs - now;
    }
    recent.push(now);
    this.times.set(key, recent);
    return 0;
  }
}
