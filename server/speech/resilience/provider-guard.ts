import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  halfJitterGenerator,
  handleWhen,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  isTaskCancelledError,
  retry,
  timeout,
  TimeoutStrategy,
} from "cockatiel";
import { KotoError } from "../../errors.ts";
import { isRetryable, ProviderError, providerFailure, type ProviderVocabulary } from "./provider-error.ts";

export interface ProviderGuardOptions {
  /** Short id for logs and metrics, e.g. "stt-gemini". */
  name: string;
  /** What a learner calls the service, e.g. "Speech recognition". Defaults to `name`. */
  service?: string;
  /** Deadline for one attempt; each retry gets a fresh one. */
  timeoutMs: number;
  /** Attempts in total, the first included (1 = no retry). At most 10. */
  maxAttempts: number;
  /** First retry waits between half and all of this; each later retry doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Calls allowed at the provider at once. */
  concurrency: number;
  /** Calls allowed to wait for a free slot; beyond that, PROVIDER_BUSY. */
  queueLimit: number;
  breaker: {
    /** Consecutive failed attempts (outages, not rejections) that open the circuit. */
    failureThreshold: number;
    /** After this long open, one call is let through to test the provider. */
    halfOpenAfterMs: number;
  };
}

export type BreakerState = "closed" | "open" | "half-open" | "isolated";

export interface ProviderGuardStats {
  name: string;
  inFlight: number;
  queued: number;
  breakerState: BreakerState;
  /** `run` calls. */
  calls: number;
  /** Calls to the wrapped function (first tries and retries). */
  attempts: number;
  /** `run` calls that ended in an error. */
  failures: number;
  retries: number;
  timeouts: number;
  busyRejections: number;
  circuitRejections: number;
  /** The back-off chosen before each of the latest retries (up to 16), oldest first: what was planned, not measured. */
  recentRetryDelaysMs: number[];
}

export interface ProviderGuard {
  readonly name: string;
  /**
   * Runs `call` under the guard. `call` gets a signal that aborts when its attempt times out or
   * the caller's `signal` aborts. Errors are KotoErrors: the call's own, or PROVIDER_BUSY,
   * PROVIDER_CIRCUIT_OPEN, PROVIDER_TIMEOUT, PROVIDER_CANCELLED, PROVIDER_FAILED.
   */
  run<T>(call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  stats(): ProviderGuardStats;
}

const BREAKER_STATE: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "isolated",
};

/**
 * An outage is what should open the circuit: retryable provider failures and unexpected errors.
 * A rejected request (bad audio, a refusal) says nothing about the provider's health.
 */
function isOutage(error: unknown): boolean {
  return isRetryable(error) || !(error instanceof KotoError);
}

function checkOptions(options: ProviderGuardOptions): void {
  const whole = (value: number, least: number, label: string): void => {
    if (!Number.isInteger(value) || value < least) {
      throw new Error(`provider guard "${options.name}": ${label} must be a whole number >= ${least}, got ${value}`);
    }
  };
  whole(options.timeoutMs, 1, "timeoutMs");
  whole(options.maxAttempts, 1, "maxAttempts");
  if (options.maxAttempts > 10) throw new Error(`provider guard "${options.name}": maxAttempts must be at most 10`);
  whole(options.baseDelayMs, 0, "baseDelayMs");
  whole(options.maxDelayMs, options.baseDelayMs, "maxDelayMs");
  whole(options.concurrency, 1, "concurrency");
  whole(options.queueLimit, 0, "queueLimit");
  whole(options.breaker.failureThreshold, 1, "breaker.failureThreshold");
  whole(options.breaker.halfOpenAfterMs, 1, "breaker.halfOpenAfterMs");
}

/**
 * Bulkhead (outermost: bounds everything, retries included) -> retry with exponential back-off
 * and jitter -> circuit breaker (sees every attempt) -> per-attempt timeout -> the call.
 */
export function createProviderGuard(options: ProviderGuardOptions): ProviderGuard {
  checkOptions(options);
  const vocabulary: ProviderVocabulary = { prefix: "PROVIDER", service: options.service ?? options.name };
  const counters = { calls: 0, attempts: 0, failures: 0, retries: 0, timeouts: 0, busyRejections: 0, circuitRejections: 0 };

  const bulkheadPolicy = bulkhead(options.concurrency, options.queueLimit);
  const retryPolicy = retry(handleWhen(isRetryable), {
    maxAttempts: options.maxAttempts - 1,
    backoff: new ExponentialBackoff({
      initialDelay: options.baseDelayMs,
      maxDelay: options.maxDelayMs,
      generator: halfJitterGenerator,
    }),
  });
  const recentRetryDelaysMs: number[] = [];
  retryPolicy.onRetry(({ delay }) => {
    counters.retries++;
    recentRetryDelaysMs.push(delay);
    if (recentRetryDelaysMs.length > 16) recentRetryDelaysMs.shift();
  });
  const breakerPolicy = circuitBreaker(handleWhen(isOutage), {
    breaker: new ConsecutiveBreaker(options.breaker.failureThreshold),
    halfOpenAfter: options.breaker.halfOpenAfterMs,
  });
  // Aggressive: a call that ignores its signal still gives up on time. abortOnReturn off, so an
  // aborted attempt signal means exactly "timed out or cancelled".
  const timeoutPolicy = timeout(options.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });

  async function attempt<T>(call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, callerSignal?: AbortSignal): Promise<T> {
    // The caller may give up during a back-off; do not knock on the provider's door again.
    if (callerSignal?.aborted) throw providerFailure(vocabulary, "cancelled", options.name);
    counters.attempts++;
    let attemptSignal: AbortSignal | undefined;
    try {
      return await timeoutPolicy.execute(({ signal: own }) => {
        attemptSignal = own;
        return call(own);
      }, signal);
    } catch (error) {
      if (callerSignal?.aborted) throw providerFailure(vocabulary, "cancelled", options.name, { cause: error });
      // Whatever the call threw after its signal fired (an abort, or its own mapping of one) is
      // our timeout.
      if (attemptSignal?.aborted || isTaskCancelledError(error)) {
        counters.timeouts++;
        throw providerFailure(vocabulary, "timeout", options.name, { cause: error });
      }
      throw error;
    }
  }

  function translate(error: unknown, callerSignal: AbortSignal | undefined): KotoError {
    if (isBulkheadRejectedError(error)) {
      counters.busyRejections++;
      return new ProviderError(
        "PROVIDER_BUSY",
        `${vocabulary.service} is busy with other learners right now; your attempt is kept and will be re-evaluated.`,
        { status: 503, kind: "unavailable", retryable: true, provider: options.name, cause: error },
      );
    }
    if (isBrokenCircuitError(error)) {
      counters.circuitRejections++;
      return new ProviderError(
        "PROVIDER_CIRCUIT_OPEN",
        `${vocabulary.service} is temporarily unavailable; your attempt is kept and will be re-evaluated.`,
        { status: 503, kind: "unavailable", retryable: true, provider: options.name, cause: error },
      );
    }
    if (error instanceof KotoError) return error;
    if (isTaskCancelledError(error) || callerSignal?.aborted) {
      return providerFailure(vocabulary, "cancelled", options.name, { cause: error });
    }
    return new ProviderError(
      "PROVIDER_FAILED",
      `${vocabulary.service} failed unexpectedly; your attempt is kept and will be re-evaluated.`,
      { status: 502, kind: "unavailable", retryable: false, provider: options.name, cause: error },
    );
  }

  return {
    name: options.name,

    async run<T>(call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
      counters.calls++;
      try {
        return await bulkheadPolicy.execute(
          ({ signal: slotSignal }) =>
            retryPolicy.execute(
              ({ signal: retrySignal }) =>
                breakerPolicy.execute(({ signal: breakerSignal }) => attempt(call, breakerSignal, signal), retrySignal),
              slotSignal,
            ),
          signal,
        );
      } catch (error) {
        counters.failures++;
        throw translate(error, signal);
      }
    },

    stats(): ProviderGuardStats {
      return {
        name: options.name,
        inFlight: options.concurrency - bulkheadPolicy.executionSlots,
        queued: options.queueLimit - bulkheadPolicy.queueSlots,
        breakerState: BREAKER_STATE[breakerPolicy.state],
        ...counters,
        recentRetryDelaysMs: [...recentRetryDelaysMs],
      };
    },
  };
}
