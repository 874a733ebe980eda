import { z } from "zod";
import {
  failureFromHttpStatus,
  failureFromThrown,
  providerFailure,
} from "../resilience/provider-error.ts";
import {
  cleanTranscript,
  STT_VOCABULARY,
  type SpeechToText,
  type TranscribeRequest,
  type Transcript,
} from "./speech-to-text.ts";
import { postBytes } from "./http-post.ts";
import { multipartBody } from "./multipart-body.ts";

export interface OpenAiSpeechToTextOptions {
  /** The server root, e.g. https://api.openai.com or a whisper.cpp / speaches server. */
  baseUrl: string;
  /** Sent as a Bearer token when set; on-premise servers usually need none. */
  apiKey?: string;
  /** Default "whisper-1". */
  model?: string;
  timeoutMs: number;
  /** Send the target as Whisper's `prompt`. Off by default: see TranscribeRequest. */
  useExpectedTextHint?: boolean;
}

const transcriptionAnswer = z.object({ text: z.string().max(2000) });

/** Speech-to-text over the OpenAI transcription API, which whisper.cpp and speaches also speak. */
export class OpenAiSpeechToText implements SpeechToText {
  readonly name = "openai";
  private readonly endpoint: string;
  private readonly apiKey: string | undefined;
  private readonly model: string;
  private readonly timeoutMs: number;
  private readonly useExpectedTextHint: boolean;

  constructor(options: OpenAiSpeechToTextOptions) {
    // Accept both "https://host" and the OpenAI SDK habit "https://host/v1".
    const root = options.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.endpoint = `${root}/v1/audio/transcriptions`;
    this.apiKey = options.apiKey;
    this.model = options.model ?? "whisper-1";
    this.timeoutMs = options.timeoutMs;
    this.useExpectedTextHint = options.useExpectedTextHint ?? false;
  }

  async transcribe(request: TranscribeRequest, signal?: AbortSignal): Promise<Transcript> {
    const fields: Record<string, string> = { model: this.model, language: request.language, response_format: "json", temperature: "0" };
    if (this.useExpectedTextHint && request.expectedText) fields.prompt = request.expectedText;
    const { parts: upload, contentType } = multipartBody(fields, { field: "file", filename: "attempt.wav", type: "audio/wav", bytes: request.wav });

    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: "application/json", "content-type": contentType };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;

    let status: number;
    let body: string;
    try {
      ({ status, text: body } = await postBytes(this.endpoint, headers, upload, combined));
    } catch (error) {
      throw failureFromThrown(STT_VOCABULARY, this.name, error, signal);
    }

    if (status < 200 || status > 299) {
      throw failureFromHttpStatus(STT_VOCABULARY, this.name, status, openAiErrorMessage(body), new Error(body.slice(0, 500)));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (cause) {
      throw providerFailure(STT_VOCABULARY, "bad_response", this.name, { cause });
    }
    const checked = transcriptionAnswer.safeParse(parsed);
    if (!checked.success) {
      throw providerFailure(STT_VOCABULARY, "bad_response", this.name, { cause: checked.error });
    }
    return { text: cleanTranscript(checked.data.text), provider: this.name };
  }
}

/** OpenAI sends `{"error":{"message"}}`; whisper.cpp sends `{"error":"..."}`. */
function openAiErrorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
    if (typeof parsed.error === "object" && parsed.error !== null) {
      const message = (parsed.error as { message?: unknown }).message;
      if (typeof message === "string") return message;
    }
  } catch {
    // plain text body
  }
  return body.trim() || undefined;
}
