import { join } from "node:path";
import { migrate } from "./migrate.ts";
import { openPglite, openPgliteWorker, openPostgres } from "./sql-database.ts";
import { SqlStore } from "./sql-store.ts";
import type { Store } from "./store.ts";

/**
 * Real Postgres when a URL is given, otherwise PGlite kept in `<dataDir>/pglite` on its own worker
 * thread (the server's default), or in memory on this thread (tests: pooled, quick to open).
 */
export async function openStore(options: { databaseUrl?: string; dataDir?: string; inMemory?: boolean }): Promise<Store> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : options.inMemory || !options.dataDir
      ? await openPglite(undefined)
      : await openPgliteWorker(join(options.dataDir, "pglite"));
  await migrate(db);
  return new SqlStore(db);
}
