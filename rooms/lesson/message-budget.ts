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
import { TokenBuckets } from "../../server/limits/token-buckets.ts";
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

export class MessageBudget {
  private readonly messages: TokenBuckets;
  private readonly typedAnswers: WindowCounter;

  constructor(private readonly limits: MessageLimits = defaultMessageLimits, now: () => number = Date.now) {
    this.messages = new TokenBuckets(limits.burst, limits.perSecond, now);
    this.typedAnswers = new WindowCounter(limits.typedAnswersPerMinute, MINUTE_MS, now);
  }

  /** One message from a connection; throws RATE_LIMITED (with when to try again) once its budget is spent. */
  admitMessage(connectionId: string): void {
    const waitMs = this.messages.take(connectionId, 1);
    if (waitMs > 0) {
      throw new UsageLimitError("RATE_LIMITED", `more than ${this.limits.perSecond} messages a second; slow down`, 429, waitMs);
    }
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
    this.messages.forget(connectionId);
  }
}
