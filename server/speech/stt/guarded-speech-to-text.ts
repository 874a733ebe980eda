import type { ProviderGuard } from "../resilience/provider-guard.ts";
import type { SpeechToText, TranscribeRequest, Transcript } from "./speech-to-text.ts";

/** A speech-to-text provider behind a provider guard (timeout, retry, breaker, bulkhead). */
export class GuardedSpeechToText implements SpeechToText {
  readonly name: SpeechToText["name"];
  private readonly inner: SpeechToText;
  private readonly guard: ProviderGuard;

  constructor(inner: SpeechToText, guard: ProviderGuard) {
    this.name = inner.name;
    this.inner = inner;
    this.guard = guard;
  }

  transcribe(request: TranscribeRequest, signal?: AbortSignal): Promise<Transcript> {
    return this.guard.run((attemptSignal) => this.inner.transcribe(request, attemptSignal), signal);
  }
}
