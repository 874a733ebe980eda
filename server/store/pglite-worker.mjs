/**
 * PGlite in a worker thread. PGlite is Postgres compiled to WASM: every query runs synchronously
 * on the thread that owns it (1–3 ms each under load, plus its synchronous file writes), which on
 * the main thread delays every audio frame and patch behind it. Here the database lives on its own
 * thread; the main thread sends SQL and gets rows back (structured clone keeps Dates, JSON, bytes).
 *
 * Messages in: { id, op, sql?, params?, tx?, statements? }; out: { id, result } or { id, error }.
 * `batch` runs independent statements in one transaction: one message each way for all of them, and
 * one call into PGlite's WASM (pglite-batch.mjs).
 * A transaction is `begin` (answers once PGlite's transaction callback runs), any number of
 * `query` with its `tx`, then `commit` or `rollback`. PGlite queues other queries behind it.
 * Plain JavaScript on purpose: a worker thread does not inherit every TypeScript loader (tsx on
 * Node 20 registers its hooks on the main thread only), and this file must start under any of them.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { runBatch } from "./pglite-batch.mjs";

const port = parentPort;
/** @type {{ dataDir?: string, pgliteWasmModule: WebAssembly.Module, initdbWasmModule: WebAssembly.Module }} */
const { dataDir, pgliteWasmModule, initdbWasmModule } = workerData;
const ROLLBACK = Symbol("rollback");

function serializeError(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  // Postgres' fields (code, detail, constraint, …) travel with the message.
  const fields = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === "string" || typeof value === "number") fields[key] = value;
  }
  return fields;
}

try {
  // The modules come compiled from the main thread (server/store/sql-database.ts).
  // Postgres' default 128 MB of shared buffers is sized for a server of its own; KOTO Live's tables
  // are small, and 16 MB keeps the embedded database's resident memory about 140 MB lower.
  // 4 MB rather than 16: Postgres touches all of it at start (12 MB of idle RSS), and an answer's writes cost the
  // same with either (docs/capacity.md §4.13); older pages are read back from the system's file cache.
  const startParams = [...PGlite.defaultStartParams, "-c", "shared_buffers=4MB", "-c", "wal_buffers=512kB"];
  const db = await PGlite.create({ dataDir, pgliteWasmModule, initdbWasmModule, startParams });
  /** @type {Map<number, { tx: any, finish: (commit: boolean) => void, done: Promise<unknown> }>} */
  const transactions = new Map();

  const begin = (txId) =>
    new Promise((begun, failedToBegin) => {
      let finish;
      const decided = new Promise((resolve) => (finish = resolve));
      const done = db.transaction(async (tx) => {
        transactions.set(txId, { tx, finish, done });
        begun();
        if (!(await decided)) throw ROLLBACK;
      }).catch((error) => {
        if (error !== ROLLBACK) throw error;
      }).finally(() => transactions.delete(txId));
      done.catch(failedToBegin);
    });

  const handle = async (request) => {
    switch (request.op) {
      case "query": {
        // Outside a transaction one statement is a batch of one: one call into the WASM, prepared once.
        if (request.tx === undefined) return (await runBatch(db, [{ sql: request.sql, params: request.params }]))[0];
        const tx = transactions.get(request.tx)?.tx;
        if (!tx) throw new Error(`transaction ${request.tx} is not open`);
        return (await tx.query(request.sql, request.params)).rows;
      }
      case "exec":
        await db.exec(request.sql);
        return null;
      case "release-memory":
        // Once, after migrations: this thread's share of start-up memory goes back (server/gc-tuning.ts).
        globalThis.gc?.({ type: "major", execution: "sync", flavor: "last-resort" });
        return null;
      case "batch":
        return runBatch(db, request.statements);
      case "begin":
        await begin(request.tx);
        return null;
      case "commit":
      case "rollback": {
        const open = transactions.get(request.tx);
        if (!open) throw new Error(`transaction ${request.tx} is not open`);
        open.finish(request.op === "commit");
        await open.done;
        return null;
      }
    }
    throw new Error(`unknown database request ${request.op}`);
  };

  /** Everything asked for before the close is finished first: nothing accepted is dropped. */
  const close = async (earlier) => {
    await Promise.allSettled(earlier);
    await db.close();
    setImmediate(() => port.close());
    return null;
  };

  /** Requests being handled, so a close can wait for them. */
  const inFlight = new Set();
  port.on("message", (request) => {
    const work = request.op === "close" ? close([...inFlight]) : handle(request);
    inFlight.add(work);
    work.finally(() => inFlight.delete(work)).catch(() => {});
    work.then(
      (result) => port.postMessage({ id: request.id, result }),
      (error) => port.postMessage({ id: request.id, error: serializeError(error) }),
    );
  });
  port.postMessage({ id: 0, result: "ready" });
} catch (error) {
  port.postMessage({ id: 0, error: serializeError(error) });
}
