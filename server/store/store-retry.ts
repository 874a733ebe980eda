/**
 * A write the process already promised (an attempt's result, after the learner was told it is being
 * evaluated) is not dropped when the database is briefly down: it is tried again with back-off while
 * the store answers STORE_UNAVAILABLE, up to a deadline. Other errors are not retried.
 */
import { KotoError } from "../errors.ts";

export interface StoreRetryOptions {
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Give up (rethrow) after this long; the row then stays as it was and start-up recovery settles it. */
  deadlineMs?: number;
  onRetry?: (error: KotoError, attempt: number) => void;
}

export async function whileStoreDown<T>(write: () => Promise<T>, options: StoreRetryOptions = {}): Promise<T> {
  const first = options.firstDelayMs ?? 250;
  const max = options.maxDelayMs ?? 10_000;
  const deadline = Date.now() + (options.deadlineMs ?? 10 * 60_000);
  for (let attempt = 1, delay = first; ; attempt++, delay = Math.min(delay * 2, max)) {
    try {
      return await write();
    } catch (error) {
      const unavailable = error instanceof KotoError && error.code === "STORE_UNAVAILABLE";
      if (!unavailable || Date.now() + delay > deadline) throw error;
      options.onRetry?.(error, attempt);
      await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + Math.random() * 0.5)));
    }
  }
}
