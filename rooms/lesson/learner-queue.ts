/**
 * Writes for one learner run one after another, in the order they were asked for: progress rows
 * written on different pool connections would otherwise race (last writer wins). Every task is
 * also tracked, so closing a session waits for each write it accepted.
 */
export class LearnerQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<Promise<unknown>>();

  run<T>(learnerId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(learnerId) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => {});
    this.tails.set(learnerId, tail);
    this.track(tail.finally(() => {
      if (this.tails.get(learnerId) === tail) this.tails.delete(learnerId);
    }));
    return result;
  }

  /** Background work that must finish before the session closes (it may queue more). */
  track(work: Promise<unknown>): void {
    const tracked = work.catch(() => {}).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Resolves when nothing is queued or running, including work queued while waiting. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
