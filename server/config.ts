/**
 * Configuration is read once, at start, into one typed object; nothing else reads process.env.
 * An invalid value stops start-up with a message naming the variable.
 */
import { z } from "zod";
import { KotoError } from "./errors.ts";

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalText = z.string().trim().min(1).optional();
const bool = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

/** Every variable, its default and its meaning; `.env.example` and README are checked against this. */
export const configSchema = z.object({
  PORT: integer(0, 65535).default(5000),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  CONTENT_DIR: z.string().trim().min(1).default("./content"),
  TRANSPORT: z.enum(["uws", "ws"]).default("uws"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z.string().trim().regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://").optional(),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  GUEST_TOKEN_TTL_HOURS: integer(1, 24 * 90).default(24 * 7),
  TUTOR_TOKEN_TTL_HOURS: integer(1, 24 * 30).default(12),
  MAX_LEARNERS_PER_ROOM: integer(1, 8).default(2),
  RECONNECT_WINDOW_SECONDS: integer(0, 600).default(30),
  PATCH_RATE_MS: integer(10, 1000).default(50),
  MAX_MESSAGE_BYTES: integer(1024, 1024 * 1024).default(64 * 1024),
  PUBLIC_BASE_PATH: z.string().regex(/^\/[a-z0-9/_-]*$/i, "must be a URL path starting with /").default("/koto"),
  SERVE_WEB_CLIENT: bool.default(true),
});

type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  contentDir: string;
  transport: "uws" | "ws";
  logLevel: RawConfig["LOG_LEVEL"];
  databaseUrl: string | undefined;
  jwtSecret: string | undefined;
  guestTokenTtlSeconds: number;
  tutorTokenTtlSeconds: number;
  maxLearnersPerRoom: number;
  reconnectWindowSeconds: number;
  patchRateMs: number;
  maxMessageBytes: number;
  publicBasePath: string;
  serveWebClient: boolean;
}

/** Reads and validates the environment. Empty strings count as unset, as in most .env files. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") present[key] = value;
  }
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? "?");
      return `${variable}=${JSON.stringify(present[variable] ?? "")}: ${issue.message}`;
    });
    throw new KotoError("CONFIG_INVALID", `invalid configuration: ${problems.join("; ")}`);
  }
  const raw = parsed.data;
  return {
    port: raw.PORT,
    host: raw.HOST,
    dataDir: raw.DATA_DIR,
    contentDir: raw.CONTENT_DIR,
    transport: raw.TRANSPORT,
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.DATABASE_URL,
    jwtSecret: raw.JWT_SECRET,
    guestTokenTtlSeconds: raw.GUEST_TOKEN_TTL_HOURS * 3600,
    tutorTokenTtlSeconds: raw.TUTOR_TOKEN_TTL_HOURS * 3600,
    maxLearnersPerRoom: raw.MAX_LEARNERS_PER_ROOM,
    reconnectWindowSeconds: raw.RECONNECT_WINDOW_SECONDS,
    patchRateMs: raw.PATCH_RATE_MS,
    maxMessageBytes: raw.MAX_MESSAGE_BYTES,
    publicBasePath: raw.PUBLIC_BASE_PATH.replace(/\/+$/, "") || "/",
    serveWebClient: raw.SERVE_WEB_CLIENT,
  };
}
