import { KotoError } from "../../errors.ts";

/**
 * How a call to an outside speech or language provider went wrong. The kind decides both the
 * sentence the learner reads and whether trying again can help.
 */
export type ProviderFailureKind = "timeout" | "unavailable" | "rejected" | "bad_response" | "cancelled";

/** Which family of codes a provider client speaks: `STT_TIMEOUT`, `FEEDBACK_REJECTED`, ... */
export interface ProviderVocabulary {
  /** Code prefix, e.g. "STT". */
  readonly prefix: string;
  /** What the learner knows the service as, e.g. "Speech recognition". */
  readonly service: string;
}

/**
 * A KotoError raised by a provider client. `retryable` says whether the same request might
 * succeed if sent again (timeouts, outages, rate limits); rejections of the request itself are
 * final. The provider guard retries only retryable errors and counts only them as outages.
 */
export class ProviderError extends KotoError {
  readonly kind: ProviderFailureKind;
  readonly retryable: boolean;
  readonly provider: string;

  constructor(
    code: string,
    message: string,
    options: { status: number; kind: ProviderFailureKind; retryable: boolean; provider: string; cause?: unknown },
  ) {
    super(code, message, options.status);
    this.name = "ProviderError";
    this.kind = options.kind;
    this.retryable = options.retryable;
    this.provider = options.provider;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

const CODE_SUFFIX: Record<ProviderFailureKind, string> = {
  timeout: "TIMEOUT",
  unavailable: "UNAVAILABLE",
  rejected: "REJECTED",
  bad_response: "BAD_RESPONSE",
  cancelled: "CANCELLED",
};

const HTTP_STATUS: Record<ProviderFailureKind, number> = {
  timeout: 504,
  unavailable: 503,
  rejected: 422,
  bad_response: 502,
  cancelled: 499,
};

// Timeouts, outages and unreadable answers are worth another try; a refusal of the request or a
// cancellation by our own caller is not.
const RETRYABLE: Record<ProviderFailureKind, boolean> = {
  timeout: true,
  unavailable: true,
  rejected: false,
  bad_response: true,
  cancelled: false,
};

function sentence(kind: ProviderFailureKind, service: string, providerMessage: string | undefined): string {
  switch (kind) {
    case "timeout":
      return `${service} took too long to answer; your attempt is kept and will be checked again.`;
    case "unavailable":
      return `${service} is unavailable right now; your attempt is kept and will be checked again.`;
    case "rejected":
      return providerMessage
        ? `${service} could not process this attempt (the provider said: "${providerMessage}").`
        : `${service} could not process this attempt.`;
    case "bad_response":
      return `${service} sent back an answer we could not read; your attempt is kept and will be checked again.`;
    case "cancelled":
      return `The request to ${service.toLowerCase()} was cancelled before it finished.`;
  }
}

/** Keeps a provider's own message short and printable before it reaches a learner. */
export function cleanProviderMessage(message: string, maxChars = 200): string {
  const printable = message.replace(/(?!\s)\p{Cc}/gu, "").replace(/\p{Cf}/gu, "").replace(/\s+/g, " ").trim();
  const codePoints = Array.from(printable);
  return codePoints.length <= maxChars ? printable : `${codePoints.slice(0, maxChars - 1).join("")}…`;
}

export function providerFailure(
  vocabulary: ProviderVocabulary,
  kind: ProviderFailureKind,
  provider: string,
  details: { providerMessage?: string; cause?: unknown } = {},
): ProviderError {
  const providerMessage = details.providerMessage ? cleanProviderMessage(details.providerMessage) : undefined;
  return new ProviderError(`${vocabulary.prefix}_${CODE_SUFFIX[kind]}`, sentence(kind, vocabulary.service, providerMessage), {
    status: HTTP_STATUS[kind],
    kind,
    retryable: RETRYABLE[kind],
    provider,
    cause: details.cause,
  });
}

/**
 * Maps an HTTP error status from a provider. 408 and 429 mean "not now" (the provider is
 * overloaded or slow), so they count as unavailable and are retried; other 4xx are final.
 */
export function failureFromHttpStatus(
  vocabulary: ProviderVocabulary,
  provider: string,
  status: number,
  providerMessage: string | undefined,
  cause?: unknown,
): ProviderError {
  if (status === 408 || status === 429 || status >= 500) {
    return providerFailure(vocabulary, "unavailable", provider, { cause });
  }
  return providerFailure(vocabulary, "rejected", provider, { providerMessage, cause });
}

/**
 * Maps an error thrown while talking to a provider (no HTTP status): an abort is a cancellation
 * when our caller asked for it and a timeout otherwise; anything else is a network failure.
 */
export function failureFromThrown(
  vocabulary: ProviderVocabulary,
  provider: string,
  error: unknown,
  callerSignal: AbortSignal | undefined,
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (callerSignal?.aborted) return providerFailure(vocabulary, "cancelled", provider, { cause: error });
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return providerFailure(vocabulary, "timeout", provider, { cause: error });
  }
  return providerFailure(vocabulary, "unavailable", provider, { cause: error });
}
