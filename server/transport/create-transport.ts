/**
 * Picks the WebSocket transport. uWebSockets.js is the default; `ws` is the pure-JS fallback.
 * Both get an explicit maximum message size (Colyseus' default closes sockets on ~4 KB).
 */
import type { Transport } from "@colyseus/core";
import { KotoError } from "../errors.ts";

export interface TransportChoice {
  kind: "uws" | "ws";
  maxMessageBytes: number;
}

export async function createTransport(choice: TransportChoice): Promise<Transport> {
  if (choice.kind === "ws") {
    const { WebSocketTransport } = await import("@colyseus/ws-transport");
    return new (reportingListenErrors(WebSocketTransport))({ maxPayload: choice.maxMessageBytes });
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
  };
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
      });
    }
  };
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
