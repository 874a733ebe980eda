/**
 * Rate limits on the two doors anyone can knock on: guest sign-up and tutor login
 * (`rate-limiter-flexible`). One process counts in memory. Processes that share Redis share the
 * counters there (`koto:sign-in:*`), so N processes behind Caddy allow the figures below once, not N
 * times; while Redis is unreachable each process falls back to counting on its own (the library's
 * insurance limiter) rather than refusing every sign-in or letting every one through.
 */
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterOptions, type RateLimiterAbstract } from "rate-limiter-flexible";
import { KotoError } from "../errors.ts";

export interface SignInLimits {
  /** Login attempts from one address per 15 minutes, right or wrong. */
  loginAttemptsPerAddress: number;
  /** Wrong passwords for one account per 15 minutes, from any address; a success clears them. */
  loginFailuresPerAccount: number;
  /** Guest accounts created from one address per hour. */
  guestsPerAddressPerHour: number;
}

const QUARTER_HOUR_SECONDS = 15 * 60;
const HOUR_SECONDS = 60 * 60;

export class SignInGate {
  private readonly loginsByAddress: RateLimiterAbstract;
  private readonly failuresByAccount: RateLimiterAbstract;
  private readonly guestsByAddress: RateLimiterAbstract;

  /** `shared`: the coordination's Redis connection when processes share one (its `koto:` key prefix applies). */
  constructor(limits: SignInLimits, shared?: Redis) {
    const limiter = (options: IRateLimiterOptions): RateLimiterAbstract => shared
      ? new RateLimiterRedis({
        ...options, keyPrefix: `sign-in:${options.keyPrefix}`, storeClient: shared,
        // Not ready (reconnecting): count locally at once instead of waiting for a reconnection.
        rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options),
      })
      : new RateLimiterMemory(options);
    this.loginsByAddress = limiter({ keyPrefix: "login-address", points: limits.loginAttemptsPerAddress, duration: QUARTER_HOUR_SECONDS });
    this.failuresByAccount = limiter({ keyPrefix: "login-account", points: limits.loginFailuresPerAccount, duration: QUARTER_HOUR_SECONDS });
    this.guestsByAddress = limiter({ keyPrefix: "guest-address", points: limits.guestsPerAddressPerHour, duration: HOUR_SECONDS });
  }

  /** Counts a login attempt; throws RATE_LIMITED when the address or the account has used its share. */
  async admitLogin(address: string, email: string): Promise<void> {
    const account = await this.failuresByAccount.get(email);
    if (account && account.remainingPoints <= 0) throw limited("too many wrong passwords for this account", account);
    await consume(this.loginsByAddress, address, "too many sign-in attempts from your address");
  }

  async loginFailed(email: string): Promise<void> {
    await this.failuresByAccount.consume(email).catch(() => {});
  }

  async loginSucceeded(email: string): Promise<void> {
    await this.failuresByAccount.delete(email);
  }

  async admitGuest(address: string): Promise<void> {
    await consume(this.guestsByAddress, address, "too many guest accounts from your address");
  }
}

async function consume(limiter: RateLimiterAbstract, key: string, reason: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw limited(reason, refusal);
    throw refusal;
  }
}

/** RATE_LIMITED carries how long to wait; the HTTP edge sends it as `Retry-After`. */
export class RateLimitedError extends KotoError {
  constructor(reason: string, readonly retryAfterSeconds: number) {
    super("RATE_LIMITED", `${reason}; try again in ${retryAfterSeconds} seconds`, 429);
  }
}

function limited(reason: string, result: RateLimiterRes): RateLimitedError {
  return new RateLimitedError(reason, Math.max(1, Math.ceil(result.msBeforeNext / 1000)));
}
