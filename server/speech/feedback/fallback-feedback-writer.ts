import type { Feedback, FeedbackRequest, FeedbackWriter } from "./feedback-writer.ts";

/**
 * A tip is never worth failing an attempt for: when the primary writer fails for any reason,
 * the fallback (normally the template writer) answers instead.
 */
export class FallbackFeedbackWriter implements FeedbackWriter {
  private readonly primary: FeedbackWriter;
  private readonly fallback: FeedbackWriter;
  private readonly onFallback: ((error: unknown) => void) | undefined;

  constructor(primary: FeedbackWriter, fallback: FeedbackWriter, options: { onFallback?: (error: unknown) => void } = {}) {
    this.primary = primary;
    this.fallback = fallback;
    this.onFallback = options.onFallback;
  }

  async write(request: FeedbackRequest, signal?: AbortSignal): Promise<Feedback> {
    try {
      return await this.primary.write(request, signal);
    } catch (error) {
      this.onFallback?.(error);
      return this.fallback.write(request);
    }
  }
}
