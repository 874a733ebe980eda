/**
 * The narrow SQL surface the store needs, so the same SQL and migrations run on real Postgres
 * (`pg`) and on the embedded PGlite default.
 */
import { mkdirSync } from "node:fs";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";

export interface SqlExecutor {
  query<Row = Record<string, any>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly kind: "postgres" | "pglite";
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openPostgres(url: string): Promise<SqlDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A broken idle connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  await pool.query("select 1");
  return {
    kind: "postgres",
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows;
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work({ query: async (sql, params) => (await client.query(sql, params as unknown[])).rows });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
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
  if (!reused) return PGlite.create();
  await reused.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
  return reused;
}

/** `dataDir` undefined keeps the database in memory (tests). */
export async function openPglite(dataDir: string | undefined): Promise<SqlDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = dataDir ? await PGlite.create(dataDir) : await takeInMemory();
  let closed = false;
  const open = () => {
    if (closed) throw new Error("the database was closed");
    return db;
  };
  return {
    kind: "pglite",
    async query(sql, params) {
      return (await open().query(sql, params as unknown[])).rows as never[];
    },
    async exec(sql) {
      await open().exec(sql);
    },
    async transaction(work) {
      return open().transaction(async (tx) =>
        work({ query: async (sql, params) => (await tx.query(sql, params as unknown[])).rows as never[] }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      if (dataDir) await db.close();
      else idleInMemory.push(db);
    },
  };
}
