/**
 * Starts a bench child (server or fake provider) as its own Node process with an IPC channel, so
 * its CPU and memory can be read from /proc apart from the load generator's.
 * The child runs on the same Node as the parent (24, via tsx's loader), not through `npx`, so the
 * pid we hold is the server itself. BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "../../server/node-flags.mjs";
import { withTimeout } from "./stats.ts";

export interface ChildHandle {
  name: string;
  pid: number;
  info: Record<string, any>;
  call<T = any>(type: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Lines a child may print before the rest is only counted (a flood of errors must not drown the report; BENCH_CHILD_LINES for a trace). */
const MAX_FORWARDED_LINES = Number(process.env.BENCH_CHILD_LINES ?? 30);

export async function startChild(name: string, script: string, env: Record<string, string>, startTimeoutMs = 60_000): Promise<ChildHandle> {
  const path = fileURLToPath(new URL(`../children/${script}`, import.meta.url));
  const profile = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_CHILD_NODE_ARGS: V8/Node flags for every child (an experiment, e.g. "--max-semi-space-size=64").
  const extra = process.env.BENCH_CHILD_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  // Every child (the bare server too) runs with the server's own Node flags and environment: the ratio compares rooms, not heaps.
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", "--expose-gc", ...extra, ...profile, path], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: { ...process.env, ...SERVER_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let forwarded = 0;
  let suppressed = 0;
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line.trim()) continue;
      if (forwarded < MAX_FORWARDED_LINES) {
        forwarded++;
        process.stderr.write(`  [${name}] ${line.slice(0, 400)}\n`);
      } else {
        suppressed++;
      }
    }
  };
  child.stdout!.on("data", forward);
  child.stderr!.on("data", forward);

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => {
    exited = true;
    for (const { reject } of pending.values()) reject(new Error(`${name} exited`));
    pending.clear();
    if (suppressed > 0) process.stderr.write(`  [${name}] (${suppressed} more lines not shown)\n`);
    resolve();
  }));

  const ready = new Promise<Record<string, any>>((resolve, reject) => {
    child.on("message", (message: any) => {
      if (message?.type === "ready") return resolve(message);
      const waiter = pending.get(message?.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
  });
  let info: Record<string, any>;
  try {
    info = await withTimeout(ready, startTimeoutMs, `${name} start`);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }

  return {
    name,
    pid: child.pid!,
    info,
    call(type, payload, timeoutMs = 30_000) {
      if (exited) return Promise.reject(new Error(`${name} is not running`));
      const id = nextId++;
      const answer = new Promise<any>((resolve, reject) => pending.set(id, { resolve, reject }));
      child.send({ id, type, payload });
      return withTimeout(answer, timeoutMs, `${name} ${type}`).finally(() => pending.delete(id));
    },
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      // A CPU profile of a busy child takes a while to write on exit.
      const killer = setTimeout(() => child.kill("SIGKILL"), process.env.BENCH_CPU_PROF ? 60_000 : 5000);
      await exitedPromise;
      clearTimeout(killer);
    },
  };
}
