/**
 * HTTP byte ranges (RFC 9110 §14) for stored audio: a browser's <audio> element asks for parts of a
 * file to seek in it (Safari plays media only from a server that answers a range), and a client that
 * lost its connection half-way asks for the rest.
 * Parsing the header is range-parser's (the one behind Express' `send`); which ranges we serve is ours:
 * one range as 206, several answered with the whole file (no multipart/byteranges: an audio player
 * never asks for them), and a malformed header ignored, as the RFC allows.
 */
import parseRange from "range-parser";
import { KotoError } from "../errors.ts";
import type { ByteRange } from "../recordings/recording-storage.ts";
import { errorResponse } from "./endpoint.ts";

export type WantedBytes = { whole: true } | { whole: false; range: ByteRange } | "unsatisfiable";

/**
 * What a GET with these headers asks of a representation `size` bytes long. `etag`: its strong
 * validator, if it has one; an If-Range that does not name it (a date, another file's tag) gets the
 * whole file, the answer that cannot be wrong.
 */
export function wantedBytes(headers: Headers, size: number, etag?: string): WantedBytes {
  const header = headers.get("range");
  const ifRange = headers.get("if-range");
  if (header === null || (ifRange !== null && (etag === undefined || ifRange.trim() !== etag))) return { whole: true };
  const parsed = parseRange(size, header, { combine: true });
  if (parsed === -1) return "unsatisfiable";
  if (parsed === -2 || parsed.type !== "bytes" || parsed.length !== 1) return { whole: true };
  const [{ start, end }] = parsed;
  if (start === 0 && end === size - 1) return { whole: true };
  return { whole: false, range: { start, end } };
}

/** 416 with the size a client can ask within, and our usual `{ error }` body. */
export function rangeNotSatisfiable(size: number, what = "the recording"): Response {
  const refused = errorResponse(new KotoError(
    "RANGE_NOT_SATISFIABLE", `${what} is ${size} bytes long; ask for a range inside bytes 0-${Math.max(0, size - 1)}`, 416,
  ));
  refused.headers.set("content-range", `bytes */${size}`);
  return refused;
}

/** 200 with the whole file or 206 with a part of it (`bytes` holds exactly that part). */
export function bytesResponse(
  bytes: Uint8Array, contentType: string, size: number, range: ByteRange | null, headers: Record<string, string> = {},
): Response {
  const common = { ...headers, "content-type": contentType, "content-length": String(bytes.byteLength), "accept-ranges": "bytes" };
  if (!range) return new Response(bytes as unknown as BodyInit, { status: 200, headers: common });
  const end = range.start + bytes.byteLength - 1;
  return new Response(bytes as unknown as BodyInit, {
    status: 206,
    headers: { ...common, "content-range": `bytes ${range.start}-${end}/${size}` },
  });
}
