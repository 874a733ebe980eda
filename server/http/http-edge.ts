/**
 * What every HTTP request meets before a route sees it, the same on both transports: a path that
 * decodes, a body small enough (by Content-Length here; while streaming in the transport and in
 * `readJsonBody`), HEAD answered like GET, and an at-once 404/405 for requests no route takes.
 */
import { KotoError } from "../errors.ts";
import { errorResponse } from "./endpoint.ts";

/** The largest request body any route accepts (the JSON API's bodies are a few hundred bytes). */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;
/** How long a client may take to send a body that small (a slow sender holds a connection, not memory). */
export const BODY_READ_TIMEOUT_MS = 10_000;
/** Set by the transport from the socket's peer; any value a client sends is overwritten. */
export const PEER_ADDRESS_HEADER = "x-koto-peer-address";

const ROUTE_METHODS = ["GET", "POST"] as const;
const CATCH_ALL_PATH = "/**";

interface RouteMatch {
  data: { path: string };
}

export interface BetterCallRouter {
  handler(request: Request): Promise<Response>;
  findRoute(method: string, path: string): RouteMatch | undefined;
  extend(endpoints: Record<string, unknown>): BetterCallRouter;
}

export function bodyTooLarge(): KotoError {
  return new KotoError("BODY_TOO_LARGE", `the body must be at most ${MAX_REQUEST_BODY_BYTES} bytes`, 413);
}

/** A 413 that also closes the connection, so the rest of an oversized upload is never read. */
export function bodyTooLargeResponse(): Response {
  return closing(errorResponse(bodyTooLarge()));
}

export function closing(response: Response): Response {
  response.headers.set("connection", "close");
  return response;
}

/**
 * Methods a fetch `Request` cannot carry: the Fetch standard forbids CONNECT, TRACE and TRACK (undici
 * throws building one), and a method must be an HTTP token. The transports answer these themselves,
 * before a `Request` exists: one such request from anyone stopped the process.
 */
const UNFETCHABLE_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;

export function isFetchableMethod(method: string): boolean {
  return METHOD_TOKEN.test(method) && !UNFETCHABLE_METHODS.has(method.toUpperCase());
}

/** The 405 for a method no route of this server can take (see isFetchableMethod). */
export function unsupportedMethodResponse(method: string): Response {
  const named = METHOD_TOKEN.test(method) ? method.toUpperCase() : "that method";
  const refused = errorResponse(new KotoError("METHOD_NOT_ALLOWED", `this server does not answer ${named}; use GET, HEAD or POST`, 405));
  refused.headers.set("allow", "GET, HEAD, POST, OPTIONS");
  return closing(refused);
}

/** True when the declared length alone is too much. */
export function declaresOversizedBody(contentLength: string | null): boolean {
  if (contentLength === null) return false;
  const length = Number(contentLength);
  return !Number.isFinite(length) || length > MAX_REQUEST_BODY_BYTES;
}

/**
 * Wraps Colyseus' router: the transports call `handler` for every request, and this decides what
 * never reaches a route. `findRoute`, `endpoints` and `addEndpoint` stay the router's own; Colyseus
 * `extend`s the router with its matchmaking routes, and the extended router is guarded too.
 */
export function guardRouter<R extends BetterCallRouter>(router: R): R {
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    try {
      decodeURIComponent(url.pathname);
    } catch {
      return errorResponse(new KotoError("PATH_MALFORMED", "the path has malformed percent-encoding", 400));
    }
    const method = request.method.toUpperCase();
    if (method !== "GET" && method !== "HEAD" && declaresOversizedBody(request.headers.get("content-length"))) {
      return bodyTooLargeResponse();
    }
    // Every body this server reads is JSON (ours and Colyseus' matchmaking alike); another declared
    // type would reach a body parser that fails with a 500 (multipart with no body, for one).
    const contentType = request.headers.get("content-type");
    if (method !== "GET" && method !== "HEAD" && contentType !== null && !/^application\/json\s*(;|$)/i.test(contentType.trim())) {
      return errorResponse(new KotoError("BODY_NOT_JSON", "send the body as JSON with content-type: application/json", 415));
    }
    const routeMethod = method === "HEAD" ? "GET" : method;
    if (!router.findRoute(routeMethod, url.pathname)) {
      const allowed = ROUTE_METHODS.filter((candidate) => {
        const match = router.findRoute(candidate, url.pathname);
        return match !== undefined && match.data.path !== CATCH_ALL_PATH;
      });
      if (allowed.length === 0) return errorResponse(new KotoError("NOT_FOUND", `no route ${url.pathname}`, 404));
      const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : [])].join(", ");
      const refused = errorResponse(new KotoError("METHOD_NOT_ALLOWED", `${url.pathname} answers ${allow} only`, 405));
      refused.headers.set("allow", allow);
      // A body we will not read must not keep the connection busy.
      return method === "GET" || method === "HEAD" ? refused : closing(refused);
    }
    if (method !== "HEAD") return router.handler(request);
    const response = await router.handler(new Request(request.url, { method: "GET", headers: request.headers, signal: request.signal }));
    await response.body?.cancel();
    return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return new Proxy(router, {
    get(target, property, receiver) {
      if (property === "handler") return handler;
      if (property === "extend") return (endpoints: Record<string, unknown>) => guardRouter(target.extend(endpoints));
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * The client's address for rate limits. Behind Caddy on loopback, the rightmost X-Forwarded-For
 * entry is the one Caddy added; a remote client cannot be a loopback peer, so it cannot forge it.
 */
export function clientAddress(request: Request): string {
  const peer = request.headers.get(PEER_ADDRESS_HEADER) ?? "unknown";
  if (!isLoopback(peer)) return peer;
  const forwarded = request.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").map((entry) => entry.trim()).filter(Boolean).pop();
  return last ?? peer;
}

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.") || address === "0000:0000:0000:0000:0000:0000:0000:0001";
}
