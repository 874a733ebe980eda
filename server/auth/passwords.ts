import bcrypt from "bcryptjs";
import { KotoError } from "../errors.ts";

// Cost 12 is ~250 ms here: slow for guessing, fine for a tutor signing in.
const BCRYPT_COST = 12;
export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new KotoError("PASSWORD_TOO_SHORT", `passwords must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  // bcrypt ignores bytes past 72; refuse rather than silently truncate.
  if (Buffer.byteLength(password) > 72) throw new KotoError("PASSWORD_TOO_LONG", "passwords must be at most 72 bytes");
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
