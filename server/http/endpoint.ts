/**
 * A thin adapter from our handlers to Colyseus' router (better-call): we read and validate the JSON
 * body ourselves so every failure, including malformed JSON, answers `{ error: { code, message } }`.
 */
import { parse as parseContentType } from "content-type";
import { createEndpoint } from "@colyseus/core";
import type { z } from "zod";
import { KotoError } from "../errors.ts";
import { RateLimitedError } from "../auth/sign-in-limits.ts";
import { UsageLimitError } from "../speech/limits/usage-limits.ts";
import { MAX_REQUEST_BODY_BYTES, bodyTooLarge } from "./http-edge.ts";

export interface HttpRequest {
  request: Request;
  params: Record<string, string>;
  query: URLSearchParams;
}

type Handler = (input: HttpRequest) => Promise<unknown | Response>;

export function endpoint(method: "GET" | "POST", path: string, handler: Handler) {
  return createEndpoint(path, { method, disableBody: true } as never, async (ctx: any) => {
    try {
      const request: Request = ctx.request;
      const result = await handler({
        request,
        params: ctx.params ?? {},
        query: new URL(request.url, "http://localhost").searchParams,
      });
      return result instanceof Response ? result : jsonResponse(200, result);
    } catch (error) {
      return errorResponse(error);
    }
  });
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(error: unknown): Response {
  const known = error instanceof KotoError ? error : new KotoError("INTERNAL", "the server could not complete the request", 500);
  if (!(error instanceof KotoError)) console.error(error);
  // An unread remainder of an oversized body must not be parsed as the next request.
  const headers: Record<string, string> = {};
  if (known.status === 413) headers.connection = "close";
  const retryAfterSeconds = known instanceof RateLimitedError ? known.retryAfterSeconds
    : known instanceof UsageLimitError && known.retryAfterMs > 0 ? Math.max(1, Math.ceil(known.retryAfterMs / 1000)) : null;
  if (retryAfterSeconds !== null) headers["retry-after"] = String(retryAfterSeconds);
  return jsonResponse(known.status, { error: known.toWire() }, headers);
}

/** Parses and validates a JSON body against `schema`, naming each bad field. */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  assertJsonUtf8(request.headers.get("content-type"));
  const bytes = await readBodyBytes(request);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new KotoError("BODY_MALFORMED", "the body is not valid UTF-8", 400);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KotoError("BODY_MALFORMED", "the body is not valid JSON", 400);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
    throw new KotoError("BODY_INVALID", detail, 400);
  }
  return parsed.data;
}

/** Refuses rather than replaces bytes that are not UTF-8 (a body read as something it is not). */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * JSON is UTF-8 (RFC 8259 §8.1): `application/json`, with no charset or charset=utf-8. A body that
 * says it is UTF-16 or Latin-1 was read as UTF-8 before, and stored as something else than was sent.
 */
function assertJsonUtf8(header: string | null): void {
  const notJson = () => new KotoError("BODY_NOT_JSON", "send the body as JSON with content-type: application/json", 415);
  let parsed: ReturnType<typeof parseContentType>;
  try {
    parsed = parseContentType(header ?? "");
  } catch {
    throw notJson();
  }
  if (parsed.type !== "application/json") throw notJson();
  const charset = parsed.parameters.charset?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    throw new KotoError("BODY_NOT_JSON", `send JSON as UTF-8; a body in charset=${charset.slice(0, 40)} is not read`, 415);
  }
}

/**
 * Reads the body chunk by chunk and stops at the limit, so a huge or endless upload costs at most
 * MAX_REQUEST_BODY_BYTES of memory whatever Content-Length claimed.
 */
async function readBodyBytes(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_REQUEST_BODY_BYTES) {
      // Not cancelled: cancelling destroys the socket before the 413 can be written.
      reader.releaseLock();
      throw bodyTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The token of an `Authorization: Bearer <token>` header; undefined without the header (the caller
 * says "sign in first"). A header in another form is refused as such: a token sent without "Bearer "
 * was sent, and "no token was sent" would send its author looking in the wrong place.
 */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization")?.trim() ?? "";
  if (header === "") return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) throw new KotoError("AUTH_TOKEN_INVALID", "the Authorization header must be \"Bearer <token>\" (the word Bearer, a space, then the token)", 401);
  return match[1].trim();
}
