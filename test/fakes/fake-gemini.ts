import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { sendJson, startLoopbackServer, waitUnlessGone, wavSeconds } from "./loopback-server.ts";

/**
 * A loopback stand-in for the Gemini API's generateContent (the REST wire format the
 * @google/genai SDK speaks): POST {baseUrl}/{apiVersion}/models/{model}:generateContent, API key
 * in x-goog-api-key, answers as candidates[0].content.parts[].text, errors as
 * {"error":{"code","message","status"}}. Point a client at it with `baseUrl`.
 */

interface WirePart {
  text?: string;
  inlineData?: { mimeType?: string; data?: string };
}
interface WireContent {
  role?: string;
  parts?: WirePart[];
}
export interface GenerateContentBody {
  contents?: WireContent[];
  systemInstruction?: WireContent;
  generationConfig?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface RecordedGeminiRequest {
  model: string;
  apiVersion: string;
  headers: IncomingHttpHeaders;
  /** From x-goog-api-key (or ?key=). */
  apiKey: string | undefined;
  body: GenerateContentBody;
  /** Text of the system instruction. */
  systemInstruction: string;
  /** Text parts of the user contents, joined with newlines. */
  promptText: string;
  /** The first inlineData, base64-decoded. */
  audio: Uint8Array | undefined;
  audioMimeType: string | undefined;
  generationConfig: Record<string, unknown>;
}

export interface FakeFailure {
  status: number;
  /** Defaults to a message in Google's style for the status. */
  message?: string;
  /** Fail only the next N requests, then answer normally again. Default: every request. */
  times?: number;
}

export interface FakeGeminiBehavior {
  /** For requests carrying audio: the model answers {"transcript": <this>}. */
  transcript?: (request: RecordedGeminiRequest) => string | Promise<string>;
  /** For text-only requests: the model answers {"tip": <this>}. */
  tip?: (request: RecordedGeminiRequest) => string | Promise<string>;
  /** The model's raw answer text, overriding the two above (invalid JSON, extra fields...). */
  answer?: (request: RecordedGeminiRequest) => string | Promise<string>;
  /** Fixed delay before every answer, errors included. */
  delayMs?: number;
  failWith?: FakeFailure;
  /** Accept the request and never answer: for client timeouts. */
  hang?: boolean;
  /** Answer 200 with this body verbatim (e.g. not JSON at all). */
  brokenResponseBody?: string;
}

export interface FakeGeminiOptions extends FakeGeminiBehavior {
  /** Models served; others get 404 like the real API. Default ["gemini-2.5-flash"]. */
  models?: string[];
  /** When set, requests must carry this key. */
  apiKey?: string;
}

export interface FakeGemini {
  baseUrl: string;
  /** Every well-formed generateContent request, in arrival order. */
  requests: RecordedGeminiRequest[];
  /** Replaces the given parts of the behaviour (pass a field as undefined to clear it). */
  setBehavior(behavior: Partial<FakeGeminiBehavior>): void;
  close(): Promise<void>;
}

const GOOGLE_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  408: "DEADLINE_EXCEEDED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const DEFAULT_MESSAGE: Record<number, string> = {
  429: "Resource has been exhausted (e.g. check quota).",
  500: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  503: "The model is overloaded. Please try again later.",
};

function sendGoogleError(response: ServerResponse, status: number, message?: string): void {
  sendJson(response, status, {
    error: { code: status, message: message ?? DEFAULT_MESSAGE[status] ?? `Request failed with status ${status}.`, status: GOOGLE_STATUS[status] ?? "UNKNOWN" },
  });
}

function textOf(content: WireContent | undefined): string {
  return (content?.parts ?? []).map((part) => part.text ?? "").filter((text) => text !== "").join("\n");
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const models = options.models ?? ["gemini-2.5-flash"];
  const behavior: FakeGeminiBehavior = { ...options };
  let failuresLeft = options.failWith?.times;
  const requests: RecordedGeminiRequest[] = [];

  async function handle(request: IncomingMessage, raw: Buffer, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const route = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):generateContent$/.exec(url.pathname);
    if (request.method !== "POST" || !route) {
      sendGoogleError(response, 404, `Method not found: ${request.method} ${url.pathname}`);
      return;
    }
    const [, apiVersion = "", model = ""] = route;
    const apiKey = (request.headers["x-goog-api-key"] as string | undefined) ?? url.searchParams.get("key") ?? undefined;
    if (options.apiKey !== undefined) {
      if (apiKey === undefined) {
        sendGoogleError(response, 403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
        return;
      }
      if (apiKey !== options.apiKey) {
        sendGoogleError(response, 400, "API key not valid. Please pass a valid API key.");
        return;
      }
    }
    if (!models.includes(model)) {
      sendGoogleError(response, 404, `models/${model} is not found for API version ${apiVersion}, or is not supported for generateContent.`);
      return;
    }
    let body: GenerateContentBody;
    try {
      body = JSON.parse(raw.toString("utf8")) as GenerateContentBody;
    } catch {
      sendGoogleError(response, 400, "Invalid JSON payload received.");
      return;
    }
    if (!Array.isArray(body.contents) || body.contents.length === 0) {
      sendGoogleError(response, 400, "* GenerateContentRequest.contents: contents is not specified");
      return;
    }
    const generationConfig = body.generationConfig ?? {};
    const wantsSchema = generationConfig.responseJsonSchema !== undefined || generationConfig.responseSchema !== undefined;
    if (wantsSchema && generationConfig.responseMimeType !== "application/json") {
      sendGoogleError(response, 400, "* GenerateContentRequest.generation_config.response_mime_type: response_mime_type must be application/json when a response schema is set.");
      return;
    }
    const inline = body.contents.flatMap((content) => content.parts ?? []).find((part) => part.inlineData)?.inlineData;
    if (inline && (typeof inline.data !== "string" || !BASE64.test(inline.data) || !inline.mimeType)) {
      sendGoogleError(response, 400, "Invalid value at 'contents[0].parts[1].inline_data.data' (TYPE_BYTES), Base64 decoding failed.");
      return;
    }
    const recorded: RecordedGeminiRequest = {
      model,
      apiVersion,
      headers: request.headers,
      apiKey,
      body,
      systemInstruction: textOf(body.systemInstruction),
      promptText: body.contents.map(textOf).filter((text) => text !== "").join("\n"),
      audio: inline?.data === undefined ? undefined : new Uint8Array(Buffer.from(inline.data, "base64")),
      audioMimeType: inline?.mimeType,
      generationConfig,
    };
    requests.push(recorded);

    if (behavior.hang) return;
    if (!(await waitUnlessGone(response, behavior.delayMs ?? 0))) return;
    if (behavior.failWith && failuresLeft !== 0) {
      if (failuresLeft !== undefined) failuresLeft--;
      sendGoogleError(response, behavior.failWith.status, behavior.failWith.message);
      return;
    }
    if (behavior.brokenResponseBody !== undefined) {
      response.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
      response.end(behavior.brokenResponseBody);
      return;
    }
    const answer = await answerFor(recorded);
    const audioTokens = Math.ceil(wavSeconds(recorded.audio ?? new Uint8Array()) * 32);
    const promptTokens = Math.ceil((recorded.systemInstruction.length + recorded.promptText.length) / 4) + audioTokens;
    const answerTokens = Math.ceil(answer.length / 4);
    sendJson(response, 200, {
      candidates: [{ content: { parts: [{ text: answer }], role: "model" }, finishReason: "STOP", index: 0 }],
      usageMetadata: {
        promptTokenCount: promptTokens,
        candidatesTokenCount: answerTokens,
        totalTokenCount: promptTokens + answerTokens,
        promptTokensDetails: audioTokens > 0 ? [{ modality: "AUDIO", tokenCount: audioTokens }] : undefined,
      },
      modelVersion: model,
      responseId: randomUUID(),
    });
  }

  async function answerFor(recorded: RecordedGeminiRequest): Promise<string> {
    if (behavior.answer) return behavior.answer(recorded);
    if (recorded.audio) return JSON.stringify({ transcript: await (behavior.transcript?.(recorded) ?? "안녕하세요") });
    return JSON.stringify({ tip: await (behavior.tip?.(recorded) ?? "Good effort! Listen once more and repeat slowly.") });
  }

  const server = await startLoopbackServer(handle);
  return {
    baseUrl: server.baseUrl,
    requests,
    setBehavior(change) {
      Object.assign(behavior, change);
      if ("failWith" in change) failuresLeft = change.failWith?.times;
    },
    close: server.close,
  };
}
