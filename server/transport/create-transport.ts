/**
 * Picks the WebSocket transport. uWebSockets.js is the default; `ws` is the pure-JS fallback.
 * Both get an explicit maximum message size (Colyseus' default closes sockets on ~4 KB).
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { matchMaker, type Transport } from "@colyseus/core";
import type { HttpRequest as UwsRequest } from "uWebSockets.js";
import { KotoError } from "../errors.ts";
import { errorResponse } from "../http/endpoint.ts";
import {
  BODY_READ_TIMEOUT_MS, MAX_REQUEST_BODY_BYTES, PEER_ADDRESS_HEADER, bodyTooLargeResponse, closing, declaresOversizedBody,
  isFetchableMethod, unsupportedMethodResponse,
  type BetterCallRouter,
} from "../http/http-edge.ts";

export interface TransportChoice {
  kind: "uws" | "ws";
  maxMessageBytes: number;
}

export async function createTransport(choice: TransportChoice): Promise<Transport> {
  if (choice.kind === "ws") {
    const { WebSocketTransport } = await import("@colyseus/ws-transport");
    const transport = new (reportingListenErrors(WebSocketTransport))({ maxPayload: choice.maxMessageBytes });
    // Node's own clocks for slow senders (defaults: 300 s for a request, 60 s for headers).
    transport.server!.requestTimeout = BODY_READ_TIMEOUT_MS * 2;
    transport.server!.headersTimeout = BODY_READ_TIMEOUT_MS;
    return transport;
  }
  let module: typeof import("@colyseus/uwebsockets-transport");
  try {
    module = await import("@colyseus/uwebsockets-transport");
  } catch (error) {
    throw new KotoError(
      "TRANSPORT_UNAVAILABLE",
      `uWebSockets.js could not be loaded (${(error as Error).message.split("\n").pop()}); run \`npm ci\` again, or start with TRANSPORT=ws`,
    );
  }
  return new (boundListenerClass(module.uWebSocketsTransport))({ maxPayloadLength: choice.maxMessageBytes, idleTimeout: 60 });
}

/**
 * uWebSocketsTransport.listen() ignores the hostname and never reports a failed bind. This subclass
 * binds the configured host and passes a failure to Colyseus, which rejects `server.listen()`.
 */
function boundListenerClass(Base: typeof import("@colyseus/uwebsockets-transport").uWebSocketsTransport) {
  return class BoundUwsTransport extends Base {
    listen(port: number, hostname?: string, _backlog?: number, listeningListener?: (error?: Error) => void): this {
      const host = hostname ?? "0.0.0.0";
      this.app.listen(host, port, (listenSocket) => {
        if (!listenSocket) {
          listeningListener?.(new KotoError("LISTEN_FAILED", `could not listen on ${host}:${port} (port in use or address not available)`));
          return;
        }
        // Colyseus' shutdown() closes this socket.
        (this as unknown as { _listeningSocket: unknown })._listeningSocket = listenSocket;
        listeningListener?.();
      });
      return this;
    }

    /**
     * Replaces the library's HTTP binding, which buffers a whole body (any size, no time limit)
     * before looking at it and never answers a request no route matches. Here a body is refused by
     * its Content-Length, or as soon as it grows past the limit, or when it arrives too slowly; every
     * request reaches the (guarded) router, which answers HEAD, 404 and 405 itself.
     */
    bindRouter(router: BetterCallRouter): void {
      const corsHeaders = (headers: Headers): Record<string, string> => ({
        ...matchMaker.controller.DEFAULT_CORS_HEADERS,
        ...matchMaker.controller.getCorsHeaders(headers),
      } as Record<string, string>);
      this.app.options("/*", (res, req) => {
        const headers = requestHeaders(req);
        res.onAborted(() => {});
        res.cork(() => {
          res.writeStatus("204 No Content");
          for (const [name, value] of Object.entries(corsHeaders(headers))) res.writeHeader(name, String(value));
          res.end();
        });
      });
      this.app.any("/*", (res, req) => {
        const headers = requestHeaders(req);
        headers.set(PEER_ADDRESS_HEADER, Buffer.from(res.getRemoteAddressAsText()).toString());
        const method = req.getMethod().toUpperCase();
        const query = req.getQuery();
        const url = `http://${headers.get("host") || "localhost"}${req.getUrl()}${query ? `?${query}` : ""}`;
        const aborts = new AbortController();
        let finished = false;
        res.onAborted(() => {
          finished = true;
          aborts.abort();
        });
        const answer = async (response: Response) => {
          if (finished) return;
          const body = method === "HEAD" ? undefined : await response.arrayBuffer();
          if (finished) return;
          finished = true;
          const close = response.headers.get("connection") === "close";
          res.cork(() => {
            res.writeStatus(`${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}`);
            for (const [name, value] of Object.entries(corsHeaders(headers))) res.writeHeader(name, String(value));
            response.headers.forEach((value, name) => {
              if (name !== "content-length" && name !== "connection") res.writeHeader(name, value);
            });
            if (body === undefined) res.endWithoutBody(Number(response.headers.get("content-length") ?? 0), close);
            else res.end(body, close);
          });
        };
        if (!isFetchableMethod(method)) return void answer(unsupportedMethodResponse(method));
        const dispatch = (body?: Buffer) => {
          let request: Request;
          try {
            request = new Request(url, {
              method, headers, signal: aborts.signal,
              body: body ? (new Uint8Array(body) as unknown as BodyInit) : undefined,
            });
          } catch (error) {
            // Nothing a client sends may end the process: a request undici cannot represent is refused.
            return void answer(errorResponse(new KotoError("BODY_MALFORMED", `the request could not be read (${(error as Error).message})`, 400)));
          }
          router.handler(request).then(answer, (error) => answer(errorResponse(error)));
        };
        if (method === "GET" || method === "HEAD") return dispatch();
        if (declaresOversizedBody(headers.get("content-length"))) return void answer(bodyTooLargeResponse());
        const chunks: Buffer[] = [];
        let received = 0;
        const slow = setTimeout(() => {
          void answer(closing(errorResponse(new KotoError("BODY_TIMEOUT", `the body must arrive within ${BODY_READ_TIMEOUT_MS / 1000} s`, 408))));
        }, BODY_READ_TIMEOUT_MS);
        res.onData((chunk, isLast) => {
          if (finished) return;
          received += chunk.byteLength;
          if (received > MAX_REQUEST_BODY_BYTES) {
            clearTimeout(slow);
            void answer(bodyTooLargeResponse());
            return;
          }
          // uWS reuses the chunk's memory after this callback returns.
          chunks.push(Buffer.from(new Uint8Array(chunk)));
          if (isLast) {
            clearTimeout(slow);
            dispatch(Buffer.concat(chunks));
          }
        });
      });
    }
  };
}

function requestHeaders(req: UwsRequest): Headers {
  const headers = new Headers();
  req.forEach((name, value) => headers.append(name, value));
  return headers;
}

/**
 * Colyseus hooks the HTTP server's "error" event only after a successful listen, so a taken port
 * would leave `server.listen()` pending forever. Report the bind error through the callback instead.
 */
function reportingListenErrors(Base: typeof import("@colyseus/ws-transport").WebSocketTransport) {
  return class ReportingWsTransport extends Base {
    listen(port: number, hostname?: string, backlog?: number, listeningListener?: (error?: Error) => void): this {
      const onError = (error: NodeJS.ErrnoException) => {
        listeningListener?.(new KotoError("LISTEN_FAILED", `could not listen on ${hostname ?? "0.0.0.0"}:${port} (${error.code ?? error.message})`));
      };
      this.server!.once("error", onError);
      return super.listen(port, hostname, backlog, () => {
        this.server!.off("error", onError);
        listeningListener?.();
        // Colyseus binds its request listener in that callback (Server.bindRoutes).
        guardRequests(this.server!);
      });
    }
  };
}

/**
 * Every request meets this before Colyseus' listener: routes learn the peer, and a method a fetch
 * Request cannot carry (TRACE: Colyseus' adapter threw, unhandled, and the process stopped) is
 * refused here without reaching it.
 */
function guardRequests(server: import("node:http").Server): void {
  type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;
  const listeners = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "unknown";
    if (!isFetchableMethod(request.method ?? "")) return void sendNodeResponse(response, unsupportedMethodResponse(request.method ?? ""));
    for (const listener of listeners) listener.call(server, request, response);
  });
}

async function sendNodeResponse(response: ServerResponse, answer: Response): Promise<void> {
  const body = Buffer.from(await answer.arrayBuffer());
  const headers: Record<string, string> = { "content-length": String(body.byteLength) };
  answer.headers.forEach((value, name) => {
    if (name !== "content-length") headers[name] = value;
  });
  response.writeHead(answer.status, headers);
  response.end(body);
}

/** The port a listening transport really got (for PORT=0 in tests). */
export async function listeningPort(transport: Transport): Promise<number> {
  const { default: uws } = await import("uWebSockets.js").catch(() => ({ default: undefined as never }));
  const socket = (transport as unknown as { _listeningSocket?: unknown })._listeningSocket;
  if (socket && uws) return (uws as any).us_socket_local_port(socket);
  const address = (transport as unknown as { server?: { address(): { port: number } | string | null } }).server?.address();
  if (address && typeof address === "object") return address.port;
  throw new KotoError("LISTEN_FAILED", "the transport is not listening");
}
