/**
 * The load generator's Colyseus client. The JS SDK takes `globalThis.WebSocket` when there is one
 * (undici's on Node >= 22) and the `ws` package otherwise; BENCH_CLIENT_WS picks which one we
 * measure with (default `ws`: it costs the generator less CPU on this 2-core machine, which
 * matters because the generator shares the machine with the server).
 */
export type ClientSocket = "ws" | "undici";

export async function loadSdk(kind: ClientSocket): Promise<typeof import("@colyseus/sdk")> {
  const global = globalThis as { WebSocket?: unknown };
  const saved = global.WebSocket;
  if (kind === "ws") delete global.WebSocket;
  try {
    return await import("@colyseus/sdk");
  } finally {
    if (kind === "ws" && saved) global.WebSocket = saved;
  }
}
