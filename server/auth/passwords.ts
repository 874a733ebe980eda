/**
 * Tutor password hashes. `@node-rs/bcrypt` (N-API, prebuilt) hashes and compares on libuv's thread
 * pool, so a burst of sign-ins never stalls the event loop that serves lessons; it reads and writes
 * the same `$2a$`/`$2b$` hashes bcryptjs made, so existing tutors keep their passwords.
 */
import { hash, verify } from "@node-rs/bcrypt";
import { KotoError } from "../errors.ts";

// Cost 12 is ~250 ms here: slow for guessing, fine for a tutor signing in.
const BCRYPT_COST = 12;
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_BYTES = 72;

export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new KotoError("PASSWORD_TOO_SHORT", `passwords must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  // bcrypt ignores bytes past 72; refuse rather than silently truncate.
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw new KotoError("PASSWORD_TOO_LONG", "passwords must be at most 72 bytes");
  return hash(password, cost);
}

export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  try {
    return await verify(password, passwordHash);
  } catch {
    // A malformed stored hash is a failed sign-in, not a server error.
    return false;
  }
}
