import type { ProviderGuard } from "../resilience/provider-guard.ts";
import type { Feedback, FeedbackRequest, FeedbackWriter } from "./feedback-writer.ts";

/** A feedback writer behind a provider guard (timeout, retry, breaker, bulkhead). */
export class GuardedFeedbackWriter implements FeedbackWriter {
  private readonly inner: FeedbackWriter;
  private readonly guard: ProviderGuard;

  constructor(inner: FeedbackWriter, guard: ProviderGuard) {
    this.inner = inner;
    this.guard = guard;
  }

  write(request: FeedbackRequest, signal?: AbortSignal): Promise<Feedback> {
    return this.guard.run((attemptSignal) => this.inner.write(request, attemptSignal), signal);
  }
}
