import { join } from "node:path";
import { migrate } from "./migrate.ts";
import { openPglite, openPostgres } from "./sql-database.ts";
import { SqlStore } from "./sql-store.ts";
import type { Store } from "./store.ts";

/** Real Postgres when a URL is given, otherwise PGlite kept in `<dataDir>/pglite` (or in memory). */
export async function openStore(options: { databaseUrl?: string; dataDir?: string; inMemory?: boolean }): Promise<Store> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite(options.inMemory || !options.dataDir ? undefined : join(options.dataDir, "pglite"));
  await migrate(db);
  return new SqlStore(db);
}
