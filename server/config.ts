/**
 * Configuration is read once, at start, into one typed object; nothing else reads process.env.
 * An invalid value stops start-up with a message naming the variable.
 */
import { z } from "zod";
import { KotoError } from "./errors.ts";
import type { SpeechLimits } from "./speech/limits/usage-limits.ts";
import type { SignInLimits } from "./auth/sign-in-limits.ts";

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
  PASS_MARK: integer(1, 100).default(80),
  MAX_MESSAGE_BYTES: integer(1024, 1024 * 1024).default(64 * 1024),
  PUBLIC_BASE_PATH: z.string().regex(/^\/[a-z0-9/_-]*$/i, "must be a URL path starting with /").default("/koto"),
  SERVE_WEB_CLIENT: bool.default(true),
  LOGIN_ATTEMPTS_PER_ADDRESS: integer(1, 100_000).default(20),
  LOGIN_FAILURES_PER_ACCOUNT: integer(1, 100_000).default(10),
  GUESTS_PER_ADDRESS_PER_HOUR: integer(1, 1_000_000).default(100),
  DATABASE_QUERY_TIMEOUT_MS: integer(100, 600_000).default(5000),
  DATABASE_CONNECT_TIMEOUT_MS: integer(100, 600_000).default(3000),

  REDIS_URL: z.string().trim().regex(/^rediss?:\/\//, "must start with redis:// or rediss://").optional(),
  REDIS_PASSWORD: optionalText,
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,32}$/, "must be 1-32 letters, digits or : _ . -").default("koto:"),
  PUBLIC_ADDRESS: z.string().trim().regex(/^[^\s/]+(\/[^\s]*)?$/, "must be host[:port][/path]")
    .refine((value) => !value.includes("://"), "must not include a scheme (the client picks ws or wss)").optional(),
  NODE_APP_INSTANCE: integer(0, 1000).default(0),
  DRAIN_DEADLINE_SECONDS: integer(1, 600).default(20),
  RESUME_WINDOW_SECONDS: integer(0, 86_400).default(900),
  MAX_CONCURRENT_JOINS: integer(1, 10_000).default(64),
  HEAP_GROWING_PERCENT: integer(0, 1000).default(200),

  STT_PROVIDER: z.enum(["none", "gemini", "openai"]).default("none"),
  GEMINI_API_KEY: optionalText,
  GEMINI_MODEL: z.string().trim().min(1).default("gemini-2.5-flash"),
  GEMINI_BASE_URL: z.string().url().optional(),
  OPENAI_STT_BASE_URL: z.string().url().optional(),
  OPENAI_STT_API_KEY: optionalText,
  OPENAI_STT_MODEL: z.string().trim().min(1).default("whisper-1"),
  STT_TIMEOUT_MS: integer(500, 120_000).default(8000),
  STT_MAX_ATTEMPTS: integer(1, 5).default(3),
  STT_CONCURRENCY: integer(1, 256).default(8),
  STT_QUEUE_LIMIT: integer(0, 10_000).default(200),
  FEEDBACK_PROVIDER: z.enum(["template", "gemini"]).optional(),
  FEEDBACK_TIMEOUT_MS: integer(500, 60_000).default(4000),

  VAD_ENGINE: z.enum(["webrtc", "energy"]).default("webrtc"),
  TRAILING_SILENCE_MS: integer(300, 5000).default(1200),
  MAX_UTTERANCE_SECONDS: integer(2, 120).default(30),
  MAX_AUDIO_FRAME_BYTES: integer(64, 60 * 1024).default(16 * 1024),
  MAX_AUDIO_BYTES_PER_SECOND: integer(1000, 1_000_000).default(100_000),
  MAX_CONCURRENT_UTTERANCES: integer(1, 10_000).default(200),
  MAX_UTTERANCES_PER_MINUTE: integer(1, 600).default(20),
  MAX_AUDIO_SECONDS_PER_LEARNER_PER_DAY: integer(10, 86_400).default(1800),
  MAX_AUDIO_SECONDS_PER_DAY: integer(60, 100_000_000).default(200_000),

  S3_ENDPOINT: optionalText,
  S3_PORT: integer(1, 65535).optional(),
  S3_USE_SSL: bool.default(false),
  S3_ACCESS_KEY: optionalText,
  S3_SECRET_KEY: optionalText,
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid bucket name").default("koto-audio"),
  S3_REGION: z.string().trim().min(1).default("us-east-1"),
  S3_CONTENT_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid bucket name").default("koto-content"),

  TTS_PROVIDER: z.enum(["espeak", "gemini", "openai"]).default("espeak"),
  TTS_VOICE: optionalText,
  TTS_TIMEOUT_MS: integer(1000, 300_000).default(30_000),
  GEMINI_TTS_MODEL: z.string().trim().min(1).default("gemini-2.5-flash-preview-tts"),
  OPENAI_TTS_BASE_URL: z.string().url().optional(),
  OPENAI_TTS_API_KEY: optionalText,
  OPENAI_TTS_MODEL: z.string().trim().min(1).default("tts-1"),
}).superRefine((env, context) => {
  const require = (variable: string, when: string) =>
    context.addIssue({ code: "custom", path: [variable], message: `is required when ${when}` });
  if (env.STT_PROVIDER === "gemini" && !env.GEMINI_API_KEY) require("GEMINI_API_KEY", "STT_PROVIDER=gemini");
  if (env.STT_PROVIDER === "openai" && !env.OPENAI_STT_BASE_URL) require("OPENAI_STT_BASE_URL", "STT_PROVIDER=openai");
  if (env.FEEDBACK_PROVIDER === "gemini" && !env.GEMINI_API_KEY) require("GEMINI_API_KEY", "FEEDBACK_PROVIDER=gemini");
  if (env.TTS_PROVIDER === "gemini" && !env.GEMINI_API_KEY) require("GEMINI_API_KEY", "TTS_PROVIDER=gemini");
  if (env.TTS_PROVIDER === "openai" && !env.OPENAI_TTS_BASE_URL) require("OPENAI_TTS_BASE_URL", "TTS_PROVIDER=openai");
  if (env.S3_ENDPOINT && !env.S3_ACCESS_KEY) require("S3_ACCESS_KEY", "S3_ENDPOINT is set");
  if (env.S3_ENDPOINT && !env.S3_SECRET_KEY) require("S3_SECRET_KEY", "S3_ENDPOINT is set");
  if (env.REDIS_URL && !env.DATABASE_URL) {
    context.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "is required when REDIS_URL is set: processes that share rooms share one Postgres (the embedded PGlite belongs to one process)" });
  }
  // Only when both are valid on their own (a PORT over 65535 is already named) and an instance number pushes it over.
  if (env.PORT !== 0 && env.PORT <= 65535 && env.NODE_APP_INSTANCE > 0 && env.PORT + env.NODE_APP_INSTANCE > 65535) {
    context.addIssue({ code: "custom", path: ["NODE_APP_INSTANCE"], message: `PORT ${env.PORT} + NODE_APP_INSTANCE ${env.NODE_APP_INSTANCE} is above 65535 (each PM2 instance listens on PORT + its number); lower PORT` });
  }
  if (env.MAX_AUDIO_FRAME_BYTES + 64 > env.MAX_MESSAGE_BYTES) {
    context.addIssue({ code: "custom", path: ["MAX_AUDIO_FRAME_BYTES"], message: "must be at least 64 bytes below MAX_MESSAGE_BYTES" });
  }
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
  /** A tutor's grade at or above this passes an attempt (see attemptPasses in speech/scoring). */
  passMark: number;
  maxMessageBytes: number;
  publicBasePath: string;
  serveWebClient: boolean;
  /** Set when several processes share rooms through Redis; unset = one process, local presence. */
  redis: { url: string; password: string | undefined; keyPrefix: string } | undefined;
  /** How clients reach this very process (`host[:port][/path]`), written into seat reservations. */
  publicAddress: string | undefined;
  /** PM2's instance number; the port is PORT + instance. */
  instance: number;
  /** On SIGTERM: how long utterances in flight may take to be evaluated and stored. */
  drainDeadlineMs: number;
  /** How long after an interruption a session may be resumed on any process. */
  resumeWindowSeconds: number;
  /** Matchmaking requests handled at once by this process; more wait in line (reconnect storms). */
  maxConcurrentJoins: number;
  /** V8's old-generation growth after a full collection, in percent (0: V8's own choice); see server/gc-tuning.ts. */
  heapGrowingPercent: number;
  signInLimits: SignInLimits;
  /** Postgres only: how long a query or a new connection may take before STORE_UNAVAILABLE. */
  databaseTimeouts: { queryMs: number; connectMs: number };
  speech: SpeechConfig;
  recordings: StorageConfig;
  modelAudio: ModelAudioConfig;
}

export type StorageConfig = { kind: "file"; directory: string } | {
  kind: "s3"; endPoint: string; port: number | undefined; useSSL: boolean; accessKey: string; secretKey: string; bucket: string; region: string;
};

/** Lesson lines read aloud (`koto synthesize-audio`), kept apart from learner recordings. */
export interface ModelAudioConfig {
  tts:
    | { provider: "espeak"; voice: string | undefined }
    | { provider: "gemini"; apiKey: string; model: string; baseUrl: string | undefined; voice: string | undefined; timeoutMs: number }
    | { provider: "openai"; baseUrl: string; apiKey: string | undefined; model: string; voice: string | undefined; timeoutMs: number };
  storage: StorageConfig;
}

export interface SpeechConfig {
  stt:
    | { provider: "none" }
    | { provider: "gemini"; apiKey: string; model: string; baseUrl: string | undefined; timeoutMs: number }
    | { provider: "openai"; baseUrl: string; apiKey: string | undefined; model: string; timeoutMs: number };
  sttGuard: { maxAttempts: number; concurrency: number; queueLimit: number };
  feedback: { provider: "template" } | { provider: "gemini"; apiKey: string; model: string; baseUrl: string | undefined; timeoutMs: number };
  vadEngine: "webrtc" | "energy";
  trailingSilenceMs: number;
  limits: SpeechLimits;
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
  const port = raw.PORT === 0 ? 0 : raw.PORT + raw.NODE_APP_INSTANCE;
  return {
    port,
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
    passMark: raw.PASS_MARK,
    maxMessageBytes: raw.MAX_MESSAGE_BYTES,
    publicBasePath: raw.PUBLIC_BASE_PATH.replace(/\/+$/, "") || "/",
    serveWebClient: raw.SERVE_WEB_CLIENT,
    redis: raw.REDIS_URL ? { url: raw.REDIS_URL, password: raw.REDIS_PASSWORD, keyPrefix: raw.REDIS_KEY_PREFIX } : undefined,
    publicAddress: raw.PUBLIC_ADDRESS?.replaceAll("{port}", String(port)).replaceAll("{instance}", String(raw.NODE_APP_INSTANCE)).replace(/\/+$/, ""),
    instance: raw.NODE_APP_INSTANCE,
    drainDeadlineMs: raw.DRAIN_DEADLINE_SECONDS * 1000,
    resumeWindowSeconds: raw.RESUME_WINDOW_SECONDS,
    maxConcurrentJoins: raw.MAX_CONCURRENT_JOINS,
    heapGrowingPercent: raw.HEAP_GROWING_PERCENT,
    signInLimits: {
      loginAttemptsPerAddress: raw.LOGIN_ATTEMPTS_PER_ADDRESS,
      loginFailuresPerAccount: raw.LOGIN_FAILURES_PER_ACCOUNT,
      guestsPerAddressPerHour: raw.GUESTS_PER_ADDRESS_PER_HOUR,
    },
    databaseTimeouts: { queryMs: raw.DATABASE_QUERY_TIMEOUT_MS, connectMs: raw.DATABASE_CONNECT_TIMEOUT_MS },
    speech: speechConfig(raw),
    recordings: raw.S3_ENDPOINT
      ? {
          kind: "s3", endPoint: raw.S3_ENDPOINT, port: raw.S3_PORT, useSSL: raw.S3_USE_SSL, accessKey: raw.S3_ACCESS_KEY!,
          secretKey: raw.S3_SECRET_KEY!, bucket: raw.S3_BUCKET, region: raw.S3_REGION,
        }
      : { kind: "file", directory: `${raw.DATA_DIR}/recordings` },
    modelAudio: modelAudioConfig(raw),
  };
}

function modelAudioConfig(raw: RawConfig): ModelAudioConfig {
  const voice = raw.TTS_VOICE;
  const tts: ModelAudioConfig["tts"] =
    raw.TTS_PROVIDER === "gemini"
      ? { provider: "gemini", apiKey: raw.GEMINI_API_KEY!, model: raw.GEMINI_TTS_MODEL, baseUrl: raw.GEMINI_BASE_URL, voice, timeoutMs: raw.TTS_TIMEOUT_MS }
      : raw.TTS_PROVIDER === "openai"
        ? { provider: "openai", baseUrl: raw.OPENAI_TTS_BASE_URL!, apiKey: raw.OPENAI_TTS_API_KEY, model: raw.OPENAI_TTS_MODEL, voice, timeoutMs: raw.TTS_TIMEOUT_MS }
        : { provider: "espeak", voice };
  const storage: StorageConfig = raw.S3_ENDPOINT
    ? {
        kind: "s3", endPoint: raw.S3_ENDPOINT, port: raw.S3_PORT, useSSL: raw.S3_USE_SSL, accessKey: raw.S3_ACCESS_KEY!,
        secretKey: raw.S3_SECRET_KEY!, bucket: raw.S3_CONTENT_BUCKET, region: raw.S3_REGION,
      }
    // Keys carry the "model-audio/" prefix (the bucket layout), so files land in DATA_DIR/model-audio.
    : { kind: "file", directory: raw.DATA_DIR };
  return { tts, storage };
}

function speechConfig(raw: RawConfig): SpeechConfig {
  const stt: SpeechConfig["stt"] =
    raw.STT_PROVIDER === "gemini"
      ? { provider: "gemini", apiKey: raw.GEMINI_API_KEY!, model: raw.GEMINI_MODEL, baseUrl: raw.GEMINI_BASE_URL, timeoutMs: raw.STT_TIMEOUT_MS }
      : raw.STT_PROVIDER === "openai"
        ? { provider: "openai", baseUrl: raw.OPENAI_STT_BASE_URL!, apiKey: raw.OPENAI_STT_API_KEY, model: raw.OPENAI_STT_MODEL, timeoutMs: raw.STT_TIMEOUT_MS }
        : { provider: "none" };
  // Gemini writes tips whenever a key is configured, unless told otherwise; templates otherwise.
  const feedbackProvider = raw.FEEDBACK_PROVIDER ?? (raw.GEMINI_API_KEY ? "gemini" : "template");
  return {
    stt,
    sttGuard: { maxAttempts: raw.STT_MAX_ATTEMPTS, concurrency: raw.STT_CONCURRENCY, queueLimit: raw.STT_QUEUE_LIMIT },
    feedback: feedbackProvider === "gemini"
      ? { provider: "gemini", apiKey: raw.GEMINI_API_KEY!, model: raw.GEMINI_MODEL, baseUrl: raw.GEMINI_BASE_URL, timeoutMs: raw.FEEDBACK_TIMEOUT_MS }
      : { provider: "template" },
    vadEngine: raw.VAD_ENGINE,
    trailingSilenceMs: raw.TRAILING_SILENCE_MS,
    limits: {
      maxFrameBytes: raw.MAX_AUDIO_FRAME_BYTES,
      maxUtteranceMs: raw.MAX_UTTERANCE_SECONDS * 1000,
      maxBytesPerSecondPerClient: raw.MAX_AUDIO_BYTES_PER_SECOND,
      maxConcurrentUtterances: raw.MAX_CONCURRENT_UTTERANCES,
      maxUtterancesPerMinute: raw.MAX_UTTERANCES_PER_MINUTE,
      maxAudioSecondsPerLearnerPerDay: raw.MAX_AUDIO_SECONDS_PER_LEARNER_PER_DAY,
      maxAudioSecondsPerDay: raw.MAX_AUDIO_SECONDS_PER_DAY,
    },
  };
}
