/**
 * The narrow SQL surface the store needs, so the same SQL and migrations run on real Postgres
 * (`pg`) and on the embedded PGlite default.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { KotoError } from "../errors.ts";
import { forgetPrepared, runBatch } from "./pglite-batch.mjs";

export interface SqlExecutor {
  query<Row = Record<string, any>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface SqlStatement {
  sql: string;
  params?: unknown[];
}

export interface SqlDatabase extends SqlExecutor {
  readonly kind: "postgres" | "pglite";
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Statements that do not depend on each other's rows, in one transaction, in order; each one's rows.
   * On the PGlite thread this is one message each way instead of one per statement plus begin and commit.
   */
  batch(statements: SqlStatement[]): Promise<Record<string, any>[][]>;
  /** Where the database lives in this process (PGlite's thread): gives start-up's leftover memory back. */
  releaseMemory?(): Promise<void>;
  close(): Promise<void>;
}

/** `batch` for a database whose round trips are cheap: a transaction running the statements in turn. */
function batchByTransaction(transaction: SqlDatabase["transaction"]): SqlDatabase["batch"] {
  return (statements) => transaction(async (tx) => {
    const results: Record<string, any>[][] = [];
    for (const { sql, params } of statements) results.push(await tx.query(sql, params));
    return results;
  });
}

export interface PostgresTimeouts {
  /** A query (client side, covers a frozen server) and a statement (server side) may take this long. */
  queryMs: number;
  /** Opening a connection may take this long. */
  connectMs: number;
}

const DEFAULT_TIMEOUTS: PostgresTimeouts = { queryMs: 5000, connectMs: 3000 };

export async function openPostgres(url: string, timeouts: PostgresTimeouts = DEFAULT_TIMEOUTS): Promise<SqlDatabase> {
  // Loaded here, not at the top: the embedded default never needs the Postgres client.
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: timeouts.connectMs,
    query_timeout: timeouts.queryMs,
    statement_timeout: timeouts.queryMs,
    // A transaction left open by a lost client must not hold locks forever.
    idle_in_transaction_session_timeout: timeouts.queryMs * 2,
    keepAlive: true,
  });
  // A broken idle connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  await unavailableAsKotoError(() => pool.query("select 1"));
  return {
    kind: "postgres",
    async query(sql, params) {
      return unavailableAsKotoError(async () => (await pool.query(sql, params as unknown[])).rows);
    },
    async exec(sql) {
      await unavailableAsKotoError(() => pool.query(sql));
    },
    async transaction(work) {
      const client = await unavailableAsKotoError(() => pool.connect());
      let broken: Error | undefined;
      try {
        await unavailableAsKotoError(() => client.query("BEGIN"));
        const result = await work({
          query: async (sql, params) => unavailableAsKotoError(async () => (await client.query(sql, params as unknown[])).rows),
        });
        await unavailableAsKotoError(() => client.query("COMMIT"));
        return result;
      } catch (error) {
        if (isStoreUnavailable(error)) broken = error as Error;
        else await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        // A connection that timed out or broke is thrown away, never reused mid-transaction.
        client.release(broken);
      }
    },
    batch(statements) {
      return batchByTransaction((work) => (this as SqlDatabase).transaction(work))(statements);
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * PGlite's two WASM modules (Postgres and initdb, ~10 MB), compiled once per process and handed to
 * every PGlite opened here, on this thread or a worker (a compiled module crosses threads without
 * being compiled again). Compiling them was part of every open; V8 also frees no code between opens,
 * which avoids the code-free path of a known V8 abort under PGlite churn (nodejs/node#64500).
 */
let compiledModules: Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module }> | null = null;

function pgliteModules() {
  compiledModules ??= (async () => {
    const dist = createRequire(import.meta.url).resolve("@electric-sql/pglite").replace(/index\.c?js$/, "");
    const [pglite, initdb] = await Promise.all([readFile(`${dist}pglite.wasm`), readFile(`${dist}initdb.wasm`)]);
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(pglite), WebAssembly.compile(initdb)]);
    return { pgliteWasmModule, initdbWasmModule };
  })();
  return compiledModules;
}

/**
 * PGlite on its own worker thread (server/store/pglite-worker.mjs), so its synchronous WASM work and
 * file writes do not hold up the event loop that relays audio. `dataDir` undefined: in memory.
 */
export async function openPgliteWorker(dataDir: string | undefined): Promise<SqlDatabase> {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    // A new directory is initialised by a process of its own (server/store/pglite-initdb.mjs), then
    // opened by the lasting thread: initdb's memory leaves with that process.
    if (!existsSync(join(dataDir, "PG_VERSION"))) await initialiseInChildProcess(dataDir);
  }
  return startPgliteWorker(dataDir);
}

async function initialiseInChildProcess(dataDir: string): Promise<void> {
  const script = fileURLToPath(new URL("./pglite-initdb.mjs", import.meta.url));
  // Only the script and the directory: the server's own loaders and flags are not needed there.
  const child = spawn(process.execPath, [script, dataDir], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  if (code !== 0) {
    throw new KotoError("DATABASE_INIT_FAILED", `could not initialise the embedded database in ${dataDir} (${signal ?? `exit code ${code}`}: ${stderr.trim() || "no message"}); ` +
      "the folder must be empty or hold a KOTO Live database: move it aside, or set DATA_DIR (or DATABASE_URL) elsewhere", 500);
  }
}

async function startPgliteWorker(dataDir: string | undefined): Promise<SqlDatabase> {
  const worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), {
    workerData: { dataDir, ...(await pgliteModules()) },
    // The thread's JavaScript only passes messages and rows (Postgres' memory is its WASM heap): V8's
    // default young generation (up to 64 MB a semi-space on Node 24) stayed committed after start-up.
    // Capped, idle RSS is ~20 MB lower (docs/capacity.md §4.10).
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let nextTransaction = 1;
  let failure: Error | null = null;
  const ready = new Promise<void>((resolve, reject) => pending.set(0, { resolve: () => resolve(), reject }));
  worker.on("message", (message: { id: number; result?: unknown; error?: Record<string, unknown> }) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(Object.assign(new Error(String(message.error.message)), message.error));
    else waiter.resolve(message.result);
  });
  const fail = (error: Error) => {
    failure = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on("error", fail);
  // Known from the start: the thread may end before a close has read its answer.
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("exit", (code) => fail(new Error(`the database thread stopped (exit code ${code})`)));
  const call = <T>(op: string, fields: Record<string, unknown> = {}): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, ...fields });
    });
  };
  try {
    await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return {
    kind: "pglite",
    query: (sql, params) => call("query", { sql, params }),
    exec: (sql) => call("exec", { sql }),
    async transaction(work) {
      const tx = nextTransaction++;
      await call("begin", { tx });
      try {
        const result = await work({ query: (sql, params) => call("query", { sql, params, tx }) });
        await call("commit", { tx });
        return result;
      } catch (error) {
        await call("rollback", { tx }).catch(() => {});
        throw error;
      }
    },
    batch: (statements) => call("batch", { statements }),
    releaseMemory: () => call("release-memory"),
    async close() {
      if (failure) return;
      await call("close");
      await exited;
    },
  };
}

/**
 * In-memory databases (tests) cost an initdb in WASM to start: about 2 s on a quiet machine, 5–15 s on
 * a loaded one. A closed in-memory database is therefore wiped (its one schema dropped) and handed to
 * the next opener instead of being thrown away. Databases on disk are never pooled.
 */
const idleInMemory: PGlite[] = [];

async function takeInMemory(): Promise<PGlite> {
  const reused = idleInMemory.pop();
  if (!reused) return PGlite.create({ ...(await pgliteModules()) });
  await reused.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
  await forgetPrepared(reused);
  return reused;
}

/** Node socket errors and Postgres SQLSTATE classes that mean "the database is not there right now". */
const UNREACHABLE_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3])|^57014$/;
const UNAVAILABLE_MESSAGE = /timeout|Connection terminated|Client has encountered a connection error|not queryable|Connection ended/i;

export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof KotoError) return error.code === "STORE_UNAVAILABLE";
  if (!(error instanceof Error)) return false;
  const { code } = error as NodeJS.ErrnoException;
  if (typeof code === "string" && (UNREACHABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  return UNAVAILABLE_MESSAGE.test(error.message);
}

/** `cause`: what the driver said (a refused connection, a pool or query timeout), kept for the log, never sent to a client. */
export function storeUnavailable(cause?: unknown): KotoError {
  const error = new KotoError("STORE_UNAVAILABLE", "the lesson database is not answering right now; try again in a moment", 503);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** The store layer's one translation: an outage becomes STORE_UNAVAILABLE, other errors pass unchanged. */
async function unavailableAsKotoError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isStoreUnavailable(error) && !(error instanceof KotoError) ? storeUnavailable(error) : error;
  }
}

/** `dataDir` undefined keeps the database in memory (tests). */
export async function openPglite(dataDir: string | undefined): Promise<SqlDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = dataDir ? await PGlite.create({ dataDir, ...(await pgliteModules()) }) : await takeInMemory();
  let closed = false;
  const open = () => {
    if (closed) throw new Error("the database was closed");
    return db;
  };
  return {
    kind: "pglite",
    async query(sql, params) {
      // One statement is a batch of one: one call into the WASM, and prepared once (pglite-batch.mjs).
      return (await runBatch(open(), [{ sql, params: params as unknown[] }]))[0] as never[];
    },
    async exec(sql) {
      await open().exec(sql);
    },
    async transaction(work) {
      return open().transaction(async (tx) =>
        work({ query: async (sql, params) => (await tx.query(sql, params as unknown[])).rows as never[] }),
      );
    },
    batch(statements) {
      return runBatch(open(), statements);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (dataDir) await db.close();
      else idleInMemory.push(db);
    },
  };
}
