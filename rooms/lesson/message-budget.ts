/**
 * How many messages a connection may send a room, and how many typed answers a learner may give a
 * minute. Audio frames have their own byte budget (server/speech/limits/usage-limits.ts); this is for
 * everything else. Without it one guest sending thousands of `answer` messages a second had each one
 * scored and queued for the database: every lesson on the process stalled for tens of seconds, and
 * the queue grew until the process ran out of memory.
 *
 * Pure and clock-injected, like the speech limits; it holds counters only.
 */
import { UsageLimitError } from "../../server/speech/limits/usage-limits.ts";
import { WindowCounter } from "../../server/limits/window-counter.ts";

export interface MessageLimits {
  /** Messages (not audio frames) a connection may send in a burst… */
  burst: number;
  /** …and per second after it. A lesson sends a few a minute; a tutor's console a few a second at most. */
  perSecond: number;
  /** Typed answers a learner may give in any 60-second window (spoken ones: MAX_UTTERANCES_PER_MINUTE). */
  typedAnswersPerMinute: number;
}

export const defaultMessageLimits: MessageLimits = Object.freeze({ burst: 20, perSecond: 5, typedAnswersPerMinute: 20 });

const MINUTE_MS = 60_000;

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class MessageBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly typedAnswers: WindowCounter;

  constructor(private readonly limits: MessageLimits = defaultMessageLimits, private readonly now: () => number = Date.now) {
    this.typedAnswers = new WindowCounter(limits.typedAnswersPerMinute, MINUTE_MS, now);
  }

  /** One message from a connection; throws RATE_LIMITED (with when to try again) once its budget is spent. */
  admitMessage(connectionId: string): void {
    const now = this.now();
    const bucket = this.buckets.get(connectionId) ?? { tokens: this.limits.burst, refilledAt: now };
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.limits.perSecond);
    bucket.refilledAt = now;
    this.buckets.set(connectionId, bucket);
    if (bucket.tokens < 1) {
      throw new UsageLimitError("RATE_LIMITED", `more than ${this.limits.perSecond} messages a second; slow down`, 429,
        ((1 - bucket.tokens) / this.limits.perSecond) * 1000);
    }
    bucket.tokens -= 1;
  }

  /** One typed answer from a learner; throws RATE_LIMITED when the last minute already holds the most allowed. */
  admitTypedAnswer(learnerId: string): void {
    const waitMs = this.typedAnswers.take(learnerId);
    if (waitMs > 0) {
      throw new UsageLimitError("RATE_LIMITED", `more than ${this.limits.typedAnswersPerMinute} typed answers a minute; wait a moment`, 429, waitMs);
    }
  }

  /** The connection left: its bucket goes (a learner's answers stay counted across reconnections). */
  forget(connectionId: string): void {
    this.buckets.delete(connectionId);
  }
}
