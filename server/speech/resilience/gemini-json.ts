import type { Content, GenerateContentResponse, GoogleGenAI, GoogleGenAIOptions } from "@google/genai";
import type { z } from "zod";
import {
  failureFromHttpStatus,
  failureFromThrown,
  providerFailure,
  type ProviderVocabulary,
} from "./provider-error.ts";

export interface GeminiConnection {
  apiKey: string;
  model: string;
  /** Overrides https://generativelanguage.googleapis.com, e.g. a loopback fake in tests. */
  baseUrl?: string;
  timeoutMs: number;
  /**
   * Thinking tokens add latency and cost without helping transcription or a one-line tip.
   * 0 turns thinking off (Gemini 2.5 Flash accepts it); undefined leaves the model default.
   */
  thinkingBudget?: number;
}

/** The connection with our defaults: Flash, thinking off. */
export function geminiConnection(options: { apiKey: string; model?: string; baseUrl?: string; timeoutMs: number; thinkingBudget?: number }): GeminiConnection {
  return {
    apiKey: options.apiKey,
    model: options.model ?? "gemini-2.5-flash",
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    thinkingBudget: options.thinkingBudget ?? 0,
  };
}

/**
 * The Gemini SDK, loaded on first use: with its Google auth dependencies it holds ~30 MB resident,
 * which a process that never calls Gemini (the embedded default) should not carry (docs/capacity.md §4.11).
 */
export const loadGeminiSdk = () => import("@google/genai");

/** A client made on first call (and the SDK loaded then), the same one after. */
export type GeminiClient = () => Promise<GoogleGenAI>;

export function lazyGeminiClient(options: GoogleGenAIOptions): GeminiClient {
  let client: Promise<GoogleGenAI> | null = null;
  return () => (client ??= loadGeminiSdk().then(({ GoogleGenAI: Client }) => new Client(options)));
}

export function createGeminiClient(connection: GeminiConnection): GeminiClient {
  return lazyGeminiClient({
    apiKey: connection.apiKey,
    // Never let an environment variable switch us to Vertex AI behind the configuration's back.
    vertexai: false,
    // No retryOptions: retries belong to the provider guard, which sees every attempt.
    httpOptions: { baseUrl: connection.baseUrl, timeout: connection.timeoutMs },
  });
}

/** The SDK's own HTTP error, when the SDK is loaded (an error thrown before it was has none). */
export async function geminiApiError(error: unknown): Promise<{ status: number; message: string } | null> {
  const sdk = await loadGeminiSdk().catch(() => null);
  return sdk && error instanceof sdk.ApiError ? error : null;
}

export interface GeminiJsonRequest<Schema extends z.ZodType> {
  systemInstruction: string;
  contents: Content[];
  /** JSON Schema sent as `responseJsonSchema`, so the model answers with exactly this shape. */
  responseJsonSchema: Record<string, unknown>;
  /** The same shape checked on our side: the model's promise is not a guarantee. */
  answerSchema: Schema;
  temperature?: number;
  maxOutputTokens?: number;
}

/** Calls generateContent for a structured JSON answer and maps every failure to a ProviderError. */
export async function generateGeminiJson<Schema extends z.ZodType>(
  client: GeminiClient,
  connection: GeminiConnection,
  vocabulary: ProviderVocabulary,
  request: GeminiJsonRequest<Schema>,
  signal?: AbortSignal,
): Promise<z.infer<Schema>> {
  let response: GenerateContentResponse;
  try {
    response = await (await client()).models.generateContent({
      model: connection.model,
      contents: request.contents,
      config: {
        systemInstruction: request.systemInstruction,
        responseMimeType: "application/json",
        responseJsonSchema: request.responseJsonSchema,
        temperature: request.temperature,
        maxOutputTokens: request.maxOutputTokens,
        thinkingConfig:
          connection.thinkingBudget === undefined ? undefined : { thinkingBudget: connection.thinkingBudget },
        abortSignal: signal,
      },
    });
  } catch (error) {
    const apiError = await geminiApiError(error);
    if (apiError) {
      throw failureFromHttpStatus(vocabulary, "gemini", apiError.status, geminiErrorMessage(apiError.message), error);
    }
    // A 200 whose body is not JSON.
    if (error instanceof SyntaxError) throw providerFailure(vocabulary, "bad_response", "gemini", { cause: error });
    throw failureFromThrown(vocabulary, "gemini", error, signal);
  }

  const text = answerText(response);
  if (text === undefined) {
    throw providerFailure(vocabulary, "bad_response", "gemini", {
      cause: new Error(`no text in the answer (finish reason ${response.candidates?.[0]?.finishReason ?? "none"})`),
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw providerFailure(vocabulary, "bad_response", "gemini", { cause });
  }
  const checked = request.answerSchema.safeParse(parsed);
  if (!checked.success) {
    throw providerFailure(vocabulary, "bad_response", "gemini", { cause: checked.error });
  }
  return checked.data;
}

/** The answer's text parts, leaving out thought summaries. */
function answerText(response: GenerateContentResponse): string | undefined {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  const texts = parts.filter((part) => typeof part.text === "string" && part.thought !== true).map((part) => part.text);
  return texts.length > 0 ? texts.join("") : undefined;
}

/** The SDK puts the whole error body, `{"error":{"code","message","status"}}`, in its message. */
function geminiErrorMessage(sdkMessage: string): string {
  try {
    const body = JSON.parse(sdkMessage) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // not JSON: the provider sent plain text
  }
  return sdkMessage;
}
