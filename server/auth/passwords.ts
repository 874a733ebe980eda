/**
 * Tutor password hashes. `@node-rs/bcrypt` (N-API, prebuilt) hashes and compares on libuv's thread
 * pool, so a burst of sign-ins never stalls the event loop that serves lessons; it reads and writes
 * the same `$2a$`/`$2b$` hashes bcryptjs made, so existing tutors keep their passwords.
 */
import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/bcrypt";
import { bulkhead, BulkheadRejectedError } from "cockatiel";
import { KotoError } from "../errors.ts";

// Cost 12 is ~250 ms here: slow for guessing, fine for a tutor signing in.
const BCRYPT_COST = 12;
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_BYTES = 72;

/**
 * Hashing runs on libuv's pool (4 threads by default, also used for file I/O). On a 2-core machine
 * four cost-12 hashes at once starve the event loop of CPU, so at most cores − 1 run together and the
 * rest wait in a short queue; the sign-in rate limits keep that queue small.
 */
const passwordWork = bulkhead(Math.max(1, availableParallelism() - 1), 256);

function limited<T>(work: () => Promise<T>): Promise<T> {
  return passwordWork.execute(work).catch((error) => {
    if (error instanceof BulkheadRejectedError) {
      throw new KotoError("SIGN_IN_BUSY", "too many sign-ins are being checked right now; try again in a few seconds", 503);
    }
    throw error;
  });
}

export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new KotoError("PASSWORD_TOO_SHORT", `passwords must be at least ${MIN_PASSWORD_LENGTH} characters (and at most 72 bytes)`);
  }
  // bcrypt ignores bytes past 72; refuse rather than silently truncate.
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw new KotoError("PASSWORD_TOO_LONG", "passwords must be at most 72 bytes");
  return limited(() => hash(password, cost));
}

export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  try {
    return await limited(() => verify(password, passwordHash));
  } catch (error) {
    if (error instanceof KotoError) throw error;
    // A malformed stored hash is a failed sign-in, not a server error.
    return false;
  }
}
