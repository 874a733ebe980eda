/** One recorded learner utterance to transcribe. */
export interface TranscribeRequest {
  /** A RIFF WAV file (16 kHz mono PCM16 from the audio pipeline), in an ArrayBuffer of its own: a client may hand it to a Blob as it is. */
  wav: Uint8Array<ArrayBuffer>;
  language: "ko";
  /**
   * What the learner was asked to say. Only a hint, and ignored by default: a recogniser told
   * the target tends to hear the target, which would hide the very mistakes we grade.
   */
  expectedText?: string;
}

export interface Transcript {
  text: string;
  provider: string;
}

/** A speech-to-text provider. Failures are KotoErrors (ProviderError for provider trouble). */
export interface SpeechToText {
  readonly name: "gemini" | "openai" | "none";
  transcribe(request: TranscribeRequest, signal?: AbortSignal): Promise<Transcript>;
}

export const STT_VOCABULARY = { prefix: "STT", service: "Speech recognition" } as const;

/** Strips control and format characters a provider might send and trims the transcript. */
export function cleanTranscript(text: string): string {
  return text.replace(/(?!\s)\p{Cc}/gu, "").replace(/\p{Cf}/gu, "").replace(/\s+/g, " ").trim();
}
