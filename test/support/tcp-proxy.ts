/**
 * A TCP proxy in front of the machine's Postgres that a test can freeze (bytes stop flowing, as
 * with a hung server or a dead network path) or cut (connections reset), then restore — without
 * touching the Postgres service other processes share.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

type Mode = "open" | "frozen" | "cut";

export class TcpProxy {
  private mode: Mode = "open";
  private readonly pairs = new Set<{ client: Socket; upstream?: Socket }>();
  private readonly held: Socket[] = [];

  private constructor(private readonly server: Server, readonly port: number, private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port, target);
    server.on("connection", (client) => proxy.accept(client));
    return proxy;
  }

  private accept(client: Socket): void {
    client.on("error", () => {});
    if (this.mode === "cut") {
      client.resetAndDestroy();
      return;
    }
    if (this.mode === "frozen") {
      client.pause();
      this.held.push(client);
      return;
    }
    this.link(client);
  }

  private link(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    upstream.on("error", () => client.destroy());
    client.on("close", () => {
      upstream.destroy();
      this.pairs.delete(pair);
    });
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }

  /** Bytes stop in both directions; new connections are accepted and never answered. */
  freeze(): void {
    this.mode = "frozen";
    for (const { client, upstream } of this.pairs) {
      client.unpipe();
      upstream?.unpipe();
      client.pause();
      upstream?.pause();
    }
  }

  /** Every connection is reset, new ones too. */
  cut(): void {
    this.mode = "cut";
    for (const { client, upstream } of this.pairs) {
      client.resetAndDestroy();
      upstream?.destroy();
    }
    this.pairs.clear();
    for (const client of this.held.splice(0)) client.resetAndDestroy();
  }

  /**
   * Back to normal. Connections frozen mid-conversation are reset rather than resumed (the client
   * gave up on them when its timeout fired); connections held while frozen are linked now.
   */
  restore(): void {
    const frozen = this.mode === "frozen";
    this.mode = "open";
    if (frozen) {
      for (const { client, upstream } of this.pairs) {
        client.resetAndDestroy();
        upstream?.destroy();
      }
      this.pairs.clear();
    }
    for (const client of this.held.splice(0)) if (!client.destroyed) this.link(client);
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
