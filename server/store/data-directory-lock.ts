/**
 * One process per PGlite directory. PGlite has no lock of its own: a second process opening the
 * same files (the CLI beside a running server) writes a database the server never sees, and the
 * server's later writes can erase it. `proper-lockfile` keeps a lock directory whose time stamp the
 * holder refreshes; a holder killed with -9 stops refreshing, and the lock counts as stale after
 * `staleMs`, so a restarted server takes it over by itself.
 */
import { mkdirSync } from "node:fs";
import lockfile from "proper-lockfile";
import { KotoError } from "../errors.ts";

export interface DirectoryLockOptions {
  /** How long a lock nobody refreshes stays valid (a killed holder's lock clears after this). */
  staleMs?: number;
  /** How long to wait for a lock held by someone else: a restarting server waits out a stale lock, the CLI does not wait. */
  waitMs?: number;
  /** Called if the lock is lost while held (event loop stalled past `staleMs`, lock directory removed). */
  onLost?: (error: Error) => void;
}

export const DEFAULT_LOCK_STALE_MS = 15_000;

export async function lockDataDirectory(directory: string, options: DirectoryLockOptions = {}): Promise<() => Promise<void>> {
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const waitMs = options.waitMs ?? 0;
  mkdirSync(directory, { recursive: true });
  const pollMs = Math.max(100, Math.min(1000, Math.floor(staleMs / 5)));
  try {
    return await lockfile.lock(directory, {
      stale: staleMs,
      update: Math.floor(staleMs / 3),
      realpath: false,
      lockfilePath: `${directory}.lock`,
      retries: waitMs > 0 ? { retries: Math.ceil(waitMs / pollMs), factor: 1, minTimeout: pollMs, maxTimeout: pollMs } : 0,
      onCompromised: (error) => options.onLost?.(error),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    throw new KotoError(
      "DATA_DIRECTORY_IN_USE",
      `the embedded database ${directory} is open in another KOTO process (a running server?). ` +
        `Stop that process first, or point both at Postgres with DATABASE_URL. ` +
        `If that process crashed, the lock clears itself ${Math.round(staleMs / 1000)} s after it stopped.`,
      409,
    );
  }
}
