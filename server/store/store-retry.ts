/**
 * A write the process already promised (an attempt's result, after the learner was told it is being
 * evaluated; a step the lesson moved to, shown in state) is not dropped when the database is briefly
 * down: it is tried again with back-off while the store answers STORE_UNAVAILABLE, up to a deadline
 * or until the caller gives up (a process whose drain deadline passed). Other errors are not retried.
 */
import { KotoError } from "../errors.ts";

export interface StoreRetryOptions {
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Give up (rethrow) after this long; the row then stays as it was and start-up recovery settles it. */
  deadlineMs?: number;
  /** Stop retrying (rethrow the last error) once aborted; a try already under way still finishes. */
  signal?: AbortSignal;
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
      if (!unavailable || options.signal?.aborted || Date.now() + delay > deadline) throw error;
      options.onRetry?.(error, attempt);
      await pause(delay * (0.75 + Math.random() * 0.5), options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

/** Waits `ms`, or less when the signal aborts meanwhile. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
