/**
 * Any OpenAI-compatible speech server (`POST /v1/audio/speech`: OpenAI, speaches, Kokoro-FastAPI,
 * openedai-speech). We ask for `response_format: "wav"` so every provider's output is a WAV file.
 */
import { textToSpeechFailed, type SynthesizedLine, type TextToSpeech } from "./text-to-speech.ts";

export interface OpenAiTextToSpeechOptions {
  baseUrl: string;
  apiKey?: string;
  /** Default "tts-1". */
  model?: string;
  /** Default "alloy". */
  voice?: string;
  timeoutMs: number;
}

export class OpenAiTextToSpeech implements TextToSpeech {
  readonly name = "openai";
  readonly voice: string;
  private readonly model: string;
  private readonly endpoint: string;

  constructor(private readonly options: OpenAiTextToSpeechOptions) {
    this.voice = options.voice ?? "alloy";
    this.model = options.model ?? "tts-1";
    // Accept both "https://host" and the OpenAI SDK habit "https://host/v1".
    this.endpoint = `${options.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "")}/v1/audio/speech`;
  }

  async synthesize(korean: string): Promise<SynthesizedLine> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: this.model, input: korean, voice: this.voice, response_format: "wav" }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw textToSpeechFailed("openai", `could not reach ${this.endpoint}: ${(error as Error).message}`, error);
    }
    const body = new Uint8Array(await response.arrayBuffer());
    if (!response.ok) {
      let message = new TextDecoder().decode(body).slice(0, 200);
      try {
        message = (JSON.parse(message) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw textToSpeechFailed("openai", `HTTP ${response.status}: ${message}`);
    }
    if (new TextDecoder().decode(body.subarray(0, 4)) !== "RIFF") {
      throw textToSpeechFailed("openai", `expected a WAV file, got ${response.headers.get("content-type") ?? "an unknown type"}`);
    }
    return { wav: body };
  }
}
