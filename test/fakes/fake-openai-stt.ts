import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import busboy from "busboy";
import { isRiffWave, sendJson, startLoopbackServer, waitUnlessGone } from "./loopback-server.ts";

/**
 * A loopback stand-in for the OpenAI transcription API (also spoken by whisper.cpp's
 * whisper-server and speaches): POST {baseUrl}/v1/audio/transcriptions, multipart/form-data with
 * file, model, language, response_format; answers {"text": "..."}; errors as
 * {"error":{"message","type","param","code"}}.
 */

export interface RecordedTranscriptionRequest {
  headers: IncomingHttpHeaders;
  /** The Bearer token, if any. */
  apiKey: string | undefined;
  model: string;
  language: string;
  responseFormat: string;
  /** Every text field of the form. */
  fields: Record<string, string>;
  fileName: string;
  fileType: string;
  audio: Uint8Array;
}

export interface FakeOpenAiFailure {
  status: number;
  message?: string;
  type?: string;
  code?: string | null;
  /** Fail only the next N requests. Default: every request. */
  times?: number;
}

export interface FakeOpenAiSttBehavior {
  transcript?: (request: RecordedTranscriptionRequest) => string | Promise<string>;
  /** Fixed delay before every answer, errors included. */
  delayMs?: number;
  failWith?: FakeOpenAiFailure;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Answer 200 with this body verbatim. */
  brokenResponseBody?: string;
}

export interface FakeOpenAiSttOptions extends FakeOpenAiSttBehavior {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** The only language accepted. Default "ko". */
  language?: string;
}

export interface FakeOpenAiStt {
  baseUrl: string;
  requests: RecordedTranscriptionRequest[];
  setBehavior(behavior: Partial<FakeOpenAiSttBehavior>): void;
  close(): Promise<void>;
}

interface ParsedForm {
  fields: Record<string, string>;
  file?: { name: string; type: string; bytes: Uint8Array };
}

/**
 * The upload, parsed by busboy (the multipart parser behind multer and @fastify/multipart) from the
 * bytes as they came off the wire. Not the platform's `Request.formData()`: that cost the bench's fake
 * ~1 ms of CPU per 6 s answer, on the same two cores as the server it measures (docs/capacity.md §4.15).
 */
function parseMultipart(headers: IncomingHttpHeaders, raw: Buffer): Promise<ParsedForm> {
  return new Promise((resolve, reject) => {
    const form: ParsedForm = { fields: {} };
    const files: Promise<void>[] = [];
    const parser = busboy({ headers });
    parser.on("field", (name, value) => {
      form.fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      files.push(new Promise((ended, failed) => {
        stream.on("error", failed);
        stream.on("end", () => {
          const bytes = Buffer.concat(chunks);
          // A plain Uint8Array over the concatenated bytes (a fresh allocation, not Node's shared pool).
          if (name === "file") form.file = { name: info.filename ?? "", type: info.mimeType, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
          ended();
        });
      }));
    });
    // A file's stream may end after the parser closes.
    parser.on("close", () => Promise.all(files).then(() => resolve(form), reject));
    parser.on("error", reject);
    parser.end(raw);
  });
}

function sendOpenAiError(response: ServerResponse, status: number, message: string, type = "invalid_request_error", code: string | null = null): void {
  sendJson(response, status, { error: { message, type, param: null, code } });
}

export async function startFakeOpenAiStt(options: FakeOpenAiSttOptions = {}): Promise<FakeOpenAiStt> {
  const language = options.language ?? "ko";
  const behavior: FakeOpenAiSttBehavior = { ...options };
  let failuresLeft = options.failWith?.times;
  const requests: RecordedTranscriptionRequest[] = [];

  async function handle(request: IncomingMessage, raw: Buffer, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    if (request.method !== "POST" || url.pathname !== "/v1/audio/transcriptions") {
      sendOpenAiError(response, 404, `Invalid URL (${request.method} ${url.pathname})`);
      return;
    }
    const authorization = request.headers.authorization;
    const apiKey = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined;
    if (options.apiKey !== undefined && apiKey !== options.apiKey) {
      sendOpenAiError(response, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
      return;
    }
    const contentType = request.headers["content-type"] ?? "";
    if (!contentType.startsWith("multipart/form-data")) {
      sendOpenAiError(response, 400, "Content-Type must be multipart/form-data.");
      return;
    }
    let form: ParsedForm;
    try {
      form = await parseMultipart(request.headers, raw);
    } catch {
      sendOpenAiError(response, 400, "Could not parse multipart form.");
      return;
    }
    const { fields, file } = form;
    if (!file) {
      sendOpenAiError(response, 400, "You must provide a file parameter.");
      return;
    }
    const audio = file.bytes;
    if (!isRiffWave(audio)) {
      sendOpenAiError(response, 400, "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']");
      return;
    }
    if (!fields.model) {
      sendOpenAiError(response, 400, "you must provide a model parameter");
      return;
    }
    if (fields.language !== language) {
      sendOpenAiError(response, 400, `This server transcribes language '${language}' only; got '${fields.language ?? ""}'.`);
      return;
    }
    const responseFormat = fields.response_format ?? "json";
    if (responseFormat !== "json" && responseFormat !== "text") {
      sendOpenAiError(response, 400, `response_format '${responseFormat}' is not supported by this server.`);
      return;
    }
    const recorded: RecordedTranscriptionRequest = {
      headers: request.headers,
      apiKey,
      model: fields.model,
      language: fields.language,
      responseFormat,
      fields,
      fileName: file.name,
      fileType: file.type,
      audio,
    };
    requests.push(recorded);

    if (behavior.hang) return;
    if (!(await waitUnlessGone(response, behavior.delayMs ?? 0))) return;
    if (behavior.failWith && failuresLeft !== 0) {
      if (failuresLeft !== undefined) failuresLeft--;
      const failure = behavior.failWith;
      const serverSide = failure.status >= 500;
      sendOpenAiError(
        response,
        failure.status,
        failure.message ?? (serverSide ? "The server had an error while processing your request. Sorry about that!" : "Bad request."),
        failure.type ?? (serverSide ? "server_error" : "invalid_request_error"),
        failure.code ?? null,
      );
      return;
    }
    if (behavior.brokenResponseBody !== undefined) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(behavior.brokenResponseBody);
      return;
    }
    const text = await (behavior.transcript?.(recorded) ?? "안녕하세요");
    if (responseFormat === "text") {
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      response.end(text);
      return;
    }
    sendJson(response, 200, { text });
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
