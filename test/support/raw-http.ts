/**
 * Raw HTTP over a TCP socket, for tests that must control exactly what is sent and when: partial
 * bodies, bad percent-encoding, requests no client library would send.
 */
import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Bytes of request body written before the response head arrived. */
  bodyBytesSent: number;
}

/** Sends `head` (request line + headers, no blank line) and reads one response head and its body. */
export function rawRequest(port: number, head: string, body = "", timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${head.split("\r\n")[0]} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("connect", () => socket.write(`${head}\r\n\r\n${body}`));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const parsed = parseResponse(Buffer.concat(chunks), head.startsWith("HEAD "));
      if (parsed) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ ...parsed, bodyBytesSent: Buffer.byteLength(body) });
      }
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const parsed = parseResponse(Buffer.concat(chunks), head.startsWith("HEAD "), true);
      if (parsed) resolve({ ...parsed, bodyBytesSent: Buffer.byteLength(body) });
      else reject(new Error(`connection closed without an answer to ${head.split("\r\n")[0]}`));
    });
  });
}

/**
 * Streams a body of `totalBytes` in 64 KiB chunks (honouring back-pressure) and resolves with the
 * response as soon as one arrives, recording how much of the body had been written by then.
 */
export function streamingRequest(port: number, head: string, totalBytes: number, chunked: boolean, timeoutMs = 60_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let sent = 0;
    let answered = false;
    const piece = Buffer.alloc(64 * 1024, 0x61);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${head.split("\r\n")[0]} within ${timeoutMs} ms (sent ${sent} bytes)`));
    }, timeoutMs);
    const pump = () => {
      while (!answered && sent < totalBytes && !socket.destroyed) {
        const size = Math.min(piece.length, totalBytes - sent);
        sent += size;
        const framed = chunked ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), piece.subarray(0, size), Buffer.from("\r\n")]) : piece.subarray(0, size);
        if (!socket.write(framed)) return;
      }
      if (!answered && sent >= totalBytes && chunked && !socket.destroyed) socket.write("0\r\n\r\n");
    };
    socket.on("connect", () => {
      socket.write(`${head}\r\n\r\n`);
      pump();
    });
    socket.on("drain", pump);
    const finish = (ended: boolean) => {
      if (answered) return;
      const parsed = parseResponse(Buffer.concat(chunks), false, ended);
      if (!parsed) return;
      answered = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parsed, bodyBytesSent: sent });
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      finish(false);
    });
    // The server may close the connection mid-upload once it has answered.
    socket.on("error", () => finish(true));
    socket.on("close", () => {
      finish(true);
      if (!answered) {
        clearTimeout(timer);
        reject(new Error(`connection closed without an answer (sent ${sent} bytes)`));
      }
    });
  });
}

function parseResponse(buffer: Buffer, headOnly: boolean, ended = false): Omit<RawResponse, "bodyBytesSent"> | undefined {
  const text = buffer.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = buffer.subarray(end + 4);
  const status = Number(statusLine.split(" ")[1]);
  if (headOnly) return { status, headers, body: "" };
  if (headers["content-length"] !== undefined) {
    const length = Number(headers["content-length"]);
    if (rest.length < length) return undefined;
    return { status, headers, body: rest.subarray(0, length).toString("utf8") };
  }
  if (headers["transfer-encoding"]?.includes("chunked")) {
    const decoded = decodeChunked(rest);
    return decoded === undefined ? undefined : { status, headers, body: decoded };
  }
  return ended ? { status, headers, body: rest.toString("utf8") } : undefined;
}

function decodeChunked(buffer: Buffer): string | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = buffer.indexOf("\r\n", offset);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.subarray(offset, lineEnd).toString("latin1"), 16);
    if (size === 0) return Buffer.concat(parts).toString("utf8");
    if (buffer.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}
