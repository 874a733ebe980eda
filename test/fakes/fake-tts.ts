/**
 * Loopback stand-ins for two text-to-speech APIs, speaking their real wire formats:
 * - Gemini speech generation: POST /{apiVersion}/models/{model}:generateContent with
 *   generationConfig.responseModalities ["AUDIO"] and speechConfig.voiceConfig.prebuiltVoiceConfig,
 *   answering candidates[0].content.parts[0].inlineData { mimeType "audio/L16;codec=pcm;rate=24000", data base64 };
 * - OpenAI-compatible POST /v1/audio/speech { model, input, voice, response_format } answering the audio bytes.
 * Both answer errors in their own error shapes. The audio is a tone whose length grows with the text.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, startLoopbackServer } from "./loopback-server.ts";
import { makeTestWav } from "./test-wav.ts";

export interface RecordedSpeechRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: any;
}

export interface FakeTts {
  baseUrl: string;
  requests: RecordedSpeechRequest[];
  /** Fail the next N requests with this HTTP status. */
  failNext(times: number, status: number): void;
  close(): Promise<void>;
}

function pcmOf(wav: Uint8Array): Buffer {
  return Buffer.from(wav.buffer, wav.byteOffset + 44, wav.byteLength - 44);
}

export async function startFakeTts(options: { apiKey?: string } = {}): Promise<FakeTts> {
  const requests: RecordedSpeechRequest[] = [];
  let failures = { times: 0, status: 500 };
  const server = await startLoopbackServer(async (request: IncomingMessage, raw: Buffer, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    let body: any;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      sendJson(response, 400, { error: { message: "invalid JSON body" } });
      return;
    }
    requests.push({ path, headers: request.headers, body });
    const gemini = /^\/(v1|v1beta)\/models\/([^/:]+):generateContent$/.exec(path);
    if (failures.times > 0) {
      failures.times--;
      if (gemini) sendJson(response, failures.status, { error: { code: failures.status, message: "The model is overloaded.", status: "UNAVAILABLE" } });
      else sendJson(response, failures.status, { error: { message: "server overloaded", type: "server_error" } });
      return;
    }
    if (gemini && request.method === "POST") {
      const config = body.generationConfig ?? {};
      const voice = config.speechConfig?.voiceConfig?.prebuiltVoiceConfig?.voiceName;
      if (!Array.isArray(config.responseModalities) || !config.responseModalities.includes("AUDIO") || !voice) {
        sendJson(response, 400, { error: { code: 400, message: "This model only supports AUDIO output with a speech config.", status: "INVALID_ARGUMENT" } });
        return;
      }
      const text: string = body.contents?.[0]?.parts?.map((part: any) => part.text ?? "").join("") ?? "";
      const pcm = pcmOf(makeTestWav({ durationMs: 200 + 40 * [...text].length, sampleRate: 24000 }));
      sendJson(response, 200, {
        candidates: [{ content: { role: "model", parts: [{ inlineData: { mimeType: "audio/L16;codec=pcm;rate=24000", data: pcm.toString("base64") } }] }, finishReason: "STOP", index: 0 }],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 100, totalTokenCount: 110 },
      });
      return;
    }
    if (path === "/v1/audio/speech" && request.method === "POST") {
      if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
        sendJson(response, 401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" } });
        return;
      }
      if (typeof body.input !== "string" || body.input === "" || typeof body.model !== "string" || typeof body.voice !== "string") {
        sendJson(response, 400, { error: { message: "input, model and voice are required", type: "invalid_request_error" } });
        return;
      }
      const wav = makeTestWav({ durationMs: 200 + 40 * [...body.input].length, sampleRate: 24000 });
      const format = body.response_format ?? "mp3";
      if (format !== "wav") {
        response.writeHead(200, { "content-type": "audio/mpeg" });
        response.end(Buffer.from("ID3 not really mp3"));
        return;
      }
      response.writeHead(200, { "content-type": "audio/wav" });
      response.end(Buffer.from(wav));
      return;
    }
    sendJson(response, 404, { error: { message: `no route ${request.method} ${path}` } });
  });
  return {
    baseUrl: server.baseUrl,
    requests,
    failNext: (times, status) => { failures = { times, status }; },
    close: () => server.close(),
  };
}
