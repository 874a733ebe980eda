/**
 * POST one prepared body and read the answer as text, over `node:http`/`node:https` with keep-alive.
 *
 * Why not `fetch`: one request ends every spoken answer, on the thread that relays everyone's audio.
 * Against a loopback server with a 6 s WAV (`npm run bench:stt-request`), fetch with a FormData body
 * took 1.4–1.7 ms of CPU per request (web streams, Request/Response objects), this client 0.6–0.9 ms.
 * Errors keep fetch's names that provider-error.ts maps: an aborted or timed-out signal rejects with
 * an AbortError, a refused connection with its errno.
 */
import http from "node:http";
import https from "node:https";

/** A transcript is a few hundred bytes; a server that sends more is not one to keep reading. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Each scheme's module with its one keep-alive agent (the connection to the STT server is reused). */
const transports: Record<string, { request: typeof http.request; agent: http.Agent }> = {
  "http:": { request: http.request, agent: new http.Agent({ keepAlive: true }) },
  "https:": { request: https.request, agent: new https.Agent({ keepAlive: true }) },
};

export interface PostedAnswer {
  status: number;
  text: string;
}

/** POSTs `body` (one buffer, or parts sent one after the other as one body) to `url`. */
export function postBytes(url: string, headers: Record<string, string>, body: Uint8Array | readonly Uint8Array[], signal: AbortSignal): Promise<PostedAnswer> {
  const parts = body instanceof Uint8Array ? [body] : body;
  const length = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const target = new URL(url);
  const transport = Object.hasOwn(transports, target.protocol) ? transports[target.protocol] : undefined;
  if (!transport) return Promise.reject(new TypeError(`only http and https URLs can be posted to, not ${target.protocol}`));
  return new Promise<PostedAnswer>((resolve, reject) => {
    const request = transport.request(target, {
      method: "POST",
      agent: transport.agent,
      headers: { ...headers, "content-length": String(length) },
      signal,
    }, (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) {
          response.destroy(new Error(`the answer is larger than ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    // Corked: the parts leave in one write to the socket, not one packet each.
    request.cork();
    for (const part of parts) request.write(part);
    request.uncork();
    request.end();
  });
}
