import { GeminiSpeechToText } from "./gemini-speech-to-text.ts";
import { NoSpeechToText } from "./no-speech-to-text.ts";
import { OpenAiSpeechToText } from "./openai-speech-to-text.ts";
import type { SpeechToText } from "./speech-to-text.ts";

/** The speech-to-text part of the server configuration, one variant per provider. */
export type SpeechToTextSettings =
  | { provider: "gemini"; apiKey: string; model?: string; baseUrl?: string; timeoutMs: number; useExpectedTextHint?: boolean }
  | { provider: "openai"; baseUrl: string; apiKey?: string; model?: string; timeoutMs: number; useExpectedTextHint?: boolean }
  | { provider: "none" };

export function createSpeechToText(settings: SpeechToTextSettings): SpeechToText {
  switch (settings.provider) {
    case "gemini":
      return new GeminiSpeechToText(settings);
    case "openai":
      return new OpenAiSpeechToText(settings);
    case "none":
      return new NoSpeechToText();
  }
}
