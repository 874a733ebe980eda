/**
 * Real processes for multi-process tests: a redis-server of the test's own (never the machine's
 * Redis on 6379, which other suites and services use), KOTO Live server processes and Caddy, each
 * on a free port. Every process started here is registered and killed by `stopAll()`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
// Node itself with tsx as a loader (as PM2 runs it): the `tsx` command would put a process of its own
// between the test and the server, and killing it would orphan the server.
const node = join(root, "node_modules/node/bin/node");

const running = new Set<ChildProcess>();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs` (generous: the machine is shared). */
export async function waitFor<T>(condition: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      const value = await condition();
      if (value) return value as T;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ""}`);
}

export interface Started {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

/** Registers a child so `stopAll()` kills it, and collects its output. */
export function track(child: ChildProcess): Started {
  running.add(child);
  let output = "";
  child.stdout?.on("data", (chunk) => { output += chunk; });
  child.stderr?.on("data", (chunk) => { output += chunk; });
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => {
    running.delete(child);
    resolve(code ?? signal ?? "?");
  }));
  return { child, output: () => output, exited };
}

export async function stopAll(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(children.map((child) => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
    child.once("exit", resolve);
  })));
}

export interface TestRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A redis-server of this test, without persistence, on a free port. `stop` then `start` is a Redis outage. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let current: Started | undefined;
  const redis: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      current = track(spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "pipe" }));
      await waitFor(() => current!.output().includes("Ready to accept connections"), `redis-server on ${port}`);
    },
    async stop() {
      if (!current) return;
      current.child.kill("SIGKILL");
      await current.exited;
      current = undefined;
    },
  };
  await redis.start();
  return redis;
}

export interface KotoProcess extends Started {
  port: number;
  baseUrl: string;
  /** The Colyseus process id, from /healthz. */
  processId: string;
}

/** Starts `server/main.ts` (what PM2 runs) as its own process and waits until it is ready. */
export async function startKotoProcess(env: Record<string, string>, port?: number, timeoutMs = 60_000): Promise<KotoProcess> {
  const chosen = port ?? await freePort();
  const started = track(spawn(node, ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    env: {
      ...process.env, LOG_LEVEL: "info", HOST: "127.0.0.1", PORT: String(chosen), NODE_APP_INSTANCE: "0",
      DATA_DIR: mkdtempSync(join(tmpdir(), "koto-process-")), PATCH_RATE_MS: "20", ...env,
    },
    stdio: "pipe",
  }));
  const baseUrl = `http://127.0.0.1:${chosen}`;
  const health = await waitFor(async () => {
    if (started.child.exitCode !== null) throw new Error(`server exited early:\n${started.output()}`);
    const response = await fetch(`${baseUrl}/healthz`);
    return response.ok ? (await response.json()) as { processId: string } : undefined;
  }, `KOTO Live on ${chosen}`, timeoutMs, 200).catch((error) => {
    throw new Error(`${(error as Error).message}\n${started.output()}`);
  });
  return { ...started, port: chosen, baseUrl, processId: health.processId };
}
