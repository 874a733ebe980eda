/**
 * The one check behind every HTTP route and room join: a valid, expiring token whose account still
 * exists and is not disabled. A token outlives nothing it was issued for.
 */
import { KotoError } from "../errors.ts";
import type { Store, UserRecord } from "../store/store.ts";
import type { TokenClaims, TokenService } from "./token-service.ts";

export interface Authenticated extends TokenClaims {
  user: UserRecord;
}

export async function authenticate(tokens: TokenService, store: Store, token: unknown): Promise<Authenticated> {
  const claims = await tokens.verify(token);
  const user = await store.getUser(claims.userId);
  if (!user) throw new KotoError("AUTH_UNKNOWN_USER", "this account no longer exists; sign in again", 401);
  if (user.disabled) throw accountDisabled();
  // The account's name as it is now: a token issued before a rename still works, under the new name.
  return { ...claims, displayName: user.displayName, user };
}

export function accountDisabled(): KotoError {
  return new KotoError("ACCOUNT_DISABLED", "this account is disabled; ask an administrator", 403);
}
