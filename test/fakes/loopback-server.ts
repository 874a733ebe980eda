import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface LoopbackServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  baseUrl: string;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 and a free port, whose close() also ends hanging requests. */
export async function startLoopbackServer(
  handle: (request: IncomingMessage, body: Buffer, response: ServerResponse) => Promise<void>,
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      handle(request, Buffer.concat(chunks), response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { "content-type": "text/plain" });
          response.end(`fake server error: ${String(error)}`);
        }
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=UTF-8", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

/** Waits `ms`, resolving early (with false) if the client goes away meanwhile. */
export function waitUnlessGone(response: ServerResponse, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!response.destroyed);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      response.off("close", gone);
      resolve(!response.destroyed);
    }, ms);
    const gone = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    response.once("close", gone);
  });
}

/** A RIFF/WAVE header: "RIFF" <size> "WAVE" then chunks including "fmt " and "data". */
export function isRiffWave(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 44) return false;
  const ascii = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  return ascii(0) === "RIFF" && ascii(8) === "WAVE" && ascii(12) === "fmt ";
}

/** Seconds of audio in a PCM WAV (from the fmt and data chunks), or 0 when unreadable. */
export function wavSeconds(bytes: Uint8Array): number {
  if (!isRiffWave(bytes)) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const byteRate = view.getUint32(28, true);
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    const size = view.getUint32(offset + 4, true);
    if (id === "data") return byteRate > 0 ? Math.min(size, bytes.byteLength - offset - 8) / byteRate : 0;
    offset += 8 + size + (size % 2);
  }
  return 0;
}
