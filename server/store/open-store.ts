import { join } from "node:path";
import { migrate } from "./migrate.ts";
import { openPglite, openPgliteWorker, openPostgres, type PostgresTimeouts } from "./sql-database.ts";
import { lockDataDirectory, DEFAULT_LOCK_STALE_MS, type DirectoryLockOptions } from "./data-directory-lock.ts";
import { SqlStore } from "./sql-store.ts";
import type { Store } from "./store.ts";

export interface OpenStoreOptions {
  databaseUrl?: string;
  dataDir?: string;
  inMemory?: boolean;
  timeouts?: PostgresTimeouts;
  /** PGlite on disk only. The server waits out a crashed holder's lock; the CLI refuses at once (the default). */
  lock?: DirectoryLockOptions;
}

/**
 * Real Postgres when a URL is given, otherwise PGlite kept in `<dataDir>/pglite` on its own worker
 * thread (the server's default), or in memory on this thread (tests: pooled, quick to open).
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const db = await openPostgres(options.databaseUrl, options.timeouts);
    await migrate(db);
    return new SqlStore(db);
  }
  if (options.inMemory || !options.dataDir) {
    const db = await openPglite(undefined);
    await migrate(db);
    return new SqlStore(db);
  }
  // PGlite has no lock of its own: one process per directory (see data-directory-lock.ts).
  const directory = join(options.dataDir, "pglite");
  const release = await lockDataDirectory(directory, options.lock);
  try {
    const db = await openPgliteWorker(directory);
    await migrate(db);
    return new SqlStore(db, release);
  } catch (error) {
    await release();
    throw error;
  }
}

export { DEFAULT_LOCK_STALE_MS };
