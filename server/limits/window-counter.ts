/**
 * "At most N in any window of W ms", per key: the count behind per-minute limits (typed answers per
 * learner, spoken answers started per learner, rooms opened per account, re-evaluations per tutor).
 * Pure and clock-injected; it keeps the times of the last N only, and once a window (or when its owner
 * sweeps) it drops the times that left the window and the keys left with none (every account that ever
 * asked would otherwise stay in memory).
 */
export class WindowCounter {
  private readonly times = new Map<string, number[]>();
  private sweptAt: number;

  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {
    this.sweptAt = now();
  }

  /** Counts one for `key` and returns 0, or, when the window is full, counts nothing and returns the ms until a slot frees. */
  take(key: string, now = this.now()): number {
    const waitMs = this.waitFor(key, now);
    if (waitMs === 0) this.count(key, now);
    return waitMs;
  }

  /**
   * The ms until `key` has a free slot (0: it has one), counting nothing: for a caller that has other
   * checks to pass before it counts (`count` then).
   */
  waitFor(key: string, now = this.now()): number {
    if (now - this.sweptAt >= this.windowMs) this.sweep(now);
    const recent = this.recent(key, now);
    return recent.length >= this.max ? recent[0] + this.windowMs - now : 0;
  }

  /** Counts one for `key`, unchecked (after `waitFor` said there was room). */
  count(key: string, now = this.now()): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.times.set(key, recent);
  }

  /** Keys that asked within the window (for tests: the sweep keeps this bounded). */
  get size(): number {
    return this.times.size;
  }

  /** Times held over all keys (for tests and metrics on memory). */
  get held(): number {
    let held = 0;
    for (const times of this.times.values()) held += times.length;
    return held;
  }

  /** Drops the times that left the window, and the keys left with none. */
  sweep(now = this.now()): void {
    this.sweptAt = now;
    for (const key of [...this.times.keys()]) this.recent(key, now);
  }

  /** `key`'s times still inside the window, oldest first; a key left with none is dropped. */
  private recent(key: string, now: number): number[] {
    const times = this.times.get(key);
    if (times === undefined) return [];
    let expired = 0;
    while (expired < times.length && now - times[expired] >= this.windowMs) expired += 1;
    if (expired > 0) times.splice(0, expired);
    if (times.length === 0) this.times.delete(key);
    return times;
  }
}
