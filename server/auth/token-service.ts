/**
 * Signed session tokens (HS256 JWT via `jose`). The role lives in the token, so a client can
 * never choose it in join options.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { KotoError } from "../errors.ts";

export type TokenRole = "learner" | "tutor";

export interface TokenClaims {
  userId: string;
  role: TokenRole;
  displayName: string;
}

const ISSUER = "koto-live";

export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string, private readonly ttlSeconds: Record<TokenRole, number>) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(claims: TokenClaims): Promise<{ token: string; expiresAt: string }> {
    const expiresAtSeconds = Math.floor(Date.now() / 1000) + this.ttlSeconds[claims.role];
    const token = await new SignJWT({ role: claims.role, name: claims.displayName })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(expiresAtSeconds)
      .sign(this.key);
    return { token, expiresAt: new Date(expiresAtSeconds * 1000).toISOString() };
  }

  /** Throws AUTH_TOKEN_MISSING / AUTH_TOKEN_EXPIRED / AUTH_TOKEN_INVALID with a sentence a client can show. */
  async verify(token: unknown): Promise<TokenClaims> {
    if (typeof token !== "string" || token.trim() === "") {
      throw new KotoError("AUTH_TOKEN_MISSING", "sign in first: no token was sent (get one from POST /api/auth/guest or /api/auth/login)", 401);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ["HS256"], requiredClaims: ["exp", "sub"] });
      const role = payload.role;
      if (typeof payload.sub !== "string" || (role !== "learner" && role !== "tutor") || typeof payload.name !== "string") {
        throw new KotoError("AUTH_TOKEN_INVALID", "the token is not a KOTO token; sign in again", 401);
      }
      return { userId: payload.sub, role, displayName: payload.name };
    } catch (error) {
      if (error instanceof KotoError) throw error;
      if (error instanceof joseErrors.JWTExpired) {
        throw new KotoError("AUTH_TOKEN_EXPIRED", "your session has expired; sign in again", 401);
      }
      throw new KotoError("AUTH_TOKEN_INVALID", "the token could not be verified; sign in again", 401);
    }
  }
}
