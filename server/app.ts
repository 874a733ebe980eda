/**
 * Boots and wires one KOTO Live process: content, store, auth, transport, rooms and HTTP routes.
 * Nothing here holds logic; it connects the parts so the same wiring serves `npm start` and tests.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Server, createRouter, matchMaker, type Room } from "@colyseus/core";
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import { loadContent } from "./content/load-content.ts";
import type { ContentCatalog } from "./content/lesson.ts";
import { resolveJwtSecret } from "./auth/jwt-secret.ts";
import { TokenService } from "./auth/token-service.ts";
import { apiRoutes } from "./http/api-routes.ts";
import { webClientRoutes } from "./http/web-client-routes.ts";
import { guardRouter } from "./http/http-edge.ts";
import { modelAudioRoutes } from "./http/model-audio-routes.ts";
import { learnerRoutes } from "./http/learner-routes.ts";
import { tutorRoutes } from "./http/tutor-routes.ts";
import { openModelAudio } from "./model-audio/open-model-audio.ts";
import { ModelAudioLibrary } from "./model-audio/model-audio-library.ts";
import { FileRecordingStorage } from "./recordings/index.ts";
import { colyseusLogger, createLogger } from "./logger.ts";
import { lowerBackgroundThreads } from "./thread-priority.ts";
import { releaseStartUpMemory, tuneGarbageCollector } from "./gc-tuning.ts";
import { DEFAULT_LOCK_STALE_MS, openStore } from "./store/open-store.ts";
import { SignInGate } from "./auth/sign-in-limits.ts";
import { isKotoError } from "./errors.ts";
import type { Store } from "./store/store.ts";
import { createTransport, listeningPort } from "./transport/create-transport.ts";
import { defineLessonRoom } from "../rooms/lesson/lesson-room.ts";
import { assertMayResume } from "../rooms/lesson/session-restore.ts";
import { createOptionsSchema } from "../protocol/client-messages.ts";
import { OpenLessons } from "../rooms/lesson/open-lessons.ts";
import { createSpeechService, type SpeechService } from "./speech/speech-service.ts";
import { AttemptService, type AttemptOwner } from "./attempts/attempt-service.ts";
import { createCoordination, type Coordination } from "./cluster/coordination.ts";
import { installMatchmakingGate } from "./cluster/matchmaking-gate.ts";
import { callRoom } from "./cluster/remote-outcome.ts";
import { KotoError } from "./errors.ts";
import { WindowCounter } from "./limits/window-counter.ts";
import { UsageLimitError } from "./speech/limits/usage-limits.ts";
import { jsonResponse } from "./http/endpoint.ts";

/** Lessons one account may open (create) in a minute: a learner opens one every few minutes. */
const ROOMS_PER_ACCOUNT_PER_MINUTE = 60;

const packageJson = createRequire(import.meta.url)("../package.json") as { version: string };
const webClientDist = fileURLToPath(new URL("../web-client/dist", import.meta.url));
const colyseusVersion = (createRequire(import.meta.url)("@colyseus/core/package.json") as { version: string }).version;

export interface KotoServer {
  config: Config;
  port: number;
  store: Store;
  content: ContentCatalog;
  tokens: TokenService;
  logger: Logger;
  colyseus: Server;
  liveRooms: Map<string, Room>;
  speech: SpeechService;
  attempts: AttemptService;
  coordination: Coordination;
  /** Stops accepting, disposes rooms, closes the store. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Keep PGlite in memory instead of DATA_DIR (tests). */
  inMemoryStore?: boolean;
  /** Install Colyseus' SIGTERM/SIGINT handling (the real process, not tests). */
  handleSignals?: boolean;
  logger?: Logger;
}

export async function startKotoServer(config: Config, options: StartOptions = {}): Promise<KotoServer> {
  tuneGarbageCollector(config.heapGrowingPercent);
  const logger = options.logger ?? createLogger(config.logLevel);
  const modelAudio = await openModelAudio(config.modelAudio).catch((error: unknown) => {
    // Lessons work without model audio (the browser's voice reads lines): never fail start-up for it.
    logger.warn({ err: error }, "model audio is unavailable; lines fall back to the browser's voice");
    return new ModelAudioLibrary(new FileRecordingStorage(config.dataDir));
  });
  const content = loadContent(config.contentDir, { modelAudioUrl: (text) => modelAudio.urlFor(text) });
  if (modelAudio.size === 0) logger.info("no model audio yet: run `npm run koto -- synthesize-audio` to read every lesson line aloud");
  const store = await openStore({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, inMemory: options.inMemoryStore, timeouts: config.databaseTimeouts,
    // A restart after a crash waits out the dead process's lock instead of failing.
    lock: {
      waitMs: DEFAULT_LOCK_STALE_MS + 5000,
      onLost: (error) => logger.error({ err: error }, "lost the lock on the embedded database directory; another process may have opened it"),
    },
  });
  const secret = resolveJwtSecret(config.jwtSecret, config.dataDir);
  if (secret.generated) {
    logger.warn(`JWT_SECRET is not set: using a generated secret kept in ${config.dataDir}/jwt-secret (set JWT_SECRET in production)`);
  }
  const tokens = new TokenService(secret.secret, { learner: config.guestTokenTtlSeconds, tutor: config.tutorTokenTtlSeconds });
  const liveRooms = new Map<string, Room>();
  const speech = await createSpeechService(config, logger, store);
  const passMark = config.passMark;
  const attempts = new AttemptService({
    store, speech, content, logger, passMark,
    liveOwner: (sessionId) => liveRooms.get(sessionId) as unknown as AttemptOwner | undefined ?? (config.redis ? remoteOwner(sessionId, () => coordination) : undefined),
    retry: { intervalMs: 30_000, maxRetries: 10, batch: 10 },
  });
  // One process owns no rooms yet: whatever a previous run left open is over (and can be resumed).
  if (!config.redis) await closeOrphans(store, attempts, logger, []);
  let coordination: Coordination;
  try {
    coordination = await createCoordination(config, logger);
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  let draining = false;
  // Each new room is a session row and a room in memory until its seat reservation expires: one account
  // opening rooms in a loop (1,000 a second, never joining) is refused before any of that happens.
  const roomsOpened = new WindowCounter(ROOMS_PER_ACCOUNT_PER_MINUTE, 60_000);
  const openLessons = new OpenLessons();
  installMatchmakingGate({
    maxConcurrentJoins: config.maxConcurrentJoins,
    async admit(method, roomName, clientOptions) {
      if (method === "reconnect") return;
      // The token is checked again, with the account, when the client joins (onAuth); here only who is asking.
      const options = clientOptions as { token?: unknown; resume?: unknown } | null | undefined;
      if (method !== "create" && method !== "joinOrCreate") {
        // A join by id is refused here too when the learner is at the cap (a valid token is checked at onAuth);
        // its own room (joinById's `roomName` is the room id: a second tab's) is not another lesson.
        const claims = await tokens.verify(options?.token).catch(() => null);
        if (claims?.role === "learner") openLessons.assertRoomFor(claims.userId, method === "joinById" ? roomName : undefined);
        return;
      }
      const asker = await tokens.verify(options?.token);
      // The session to resume as the room will read it (the schema trims): a padded id is the same session.
      const resume = createOptionsSchema.shape.resume.safeParse(options?.resume);
      const resuming = resume.success ? resume.data : undefined;
      if (asker.role === "learner") openLessons.assertRoomFor(asker.userId, resuming);
      const waitMs = roomsOpened.take(asker.userId);
      if (waitMs > 0) {
        throw new UsageLimitError("RATE_LIMITED", `more than ${ROOMS_PER_ACCOUNT_PER_MINUTE} lessons opened in a minute; wait a moment`, 429, waitMs);
      }
      if (resuming !== undefined) await assertMayResume(store, asker, resuming);
    },
    refusal: (method) => {
      if (draining) return new KotoError("SERVER_DRAINING", "this server is restarting; try again (another one will answer)", 503);
      // Reconnecting to a room that still lives here needs no new listing.
      if (method !== "reconnect" && !coordination.isAvailable()) {
        return new KotoError("REDIS_UNAVAILABLE", "new lessons cannot start while the coordination service is down; lessons in progress continue. Try again in a moment", 503);
      }
      return null;
    },
  });
  const transport = await createTransport({ kind: config.transport, maxMessageBytes: config.maxMessageBytes });
  const colyseus = new Server({
    transport, gracefullyShutdown: options.handleSignals ?? false, greet: false, logger: colyseusLogger(logger),
    presence: coordination.presence, driver: coordination.driver, publicAddress: config.publicAddress,
  });
  // SIGTERM: stop taking rooms and tell the proxy (health 503) before rooms drain one by one.
  colyseus.onBeforeShutdown(async () => {
    draining = true;
    logger.info({ rooms: liveRooms.size, deadlineMs: config.drainDeadlineMs }, "draining: lessons move to other processes");
  });
  colyseus.define("lesson", defineLessonRoom({
    config, store, content, tokens, logger, speech, openLessons,
    recoverInterrupted: (sessionId) => attempts.recoverInterrupted({ sessionId }),
    onRoomCreated: (room) => liveRooms.set(room.roomId, room),
    onRoomDisposed: (room) => liveRooms.delete(room.roomId),
  }));

  const started = Date.now();
  const routes = apiRoutes({
    store, tokens, content, recordings: speech.recordings, attempts, passMark,
    signIn: new SignInGate(config.signInLimits, coordination.redis),
    health: async () => {
      if (draining) return { ok: false, report: { status: "draining", processId: matchMaker.processId } };
      // The store is the part that can be down; everything else here is this process itself.
      const storeProblem = await store.ping().then(() => undefined, (error) =>
        isKotoError(error) ? error.toWire() : { code: "STORE_UNAVAILABLE", message: String(error) });
      const report = {
        status: storeProblem ? "unavailable" : "ok",
        problems: storeProblem ? [{ part: "store", ...storeProblem }] : [],
        version: packageJson.version,
        node: process.version,
        colyseus: colyseusVersion,
        transport: config.transport,
        store: store.kind,
        coordination: coordination.kind,
        redis: coordination.kind === "redis" ? (coordination.isAvailable() ? "up" : "down") : undefined,
        // Each connection's state and whether the subscriber heard its watchdog's last echo (cluster/coordination.ts).
        redisConnections: redisConnections(coordination),
        processId: matchMaker.processId,
        rooms: liveRooms.size,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      };
      return { ok: !storeProblem, report };
    },
  });
  const webRoutes = config.serveWebClient ? webClientRoutes(webClientDist, config.publicBasePath) : {};
  // "/koto/" and "/koto" are the same page (the seed's Caddy path is linked both ways).
  colyseus.router = guardRouter(createRouter({
    ...routes, ...modelAudioRoutes(modelAudio), ...learnerRoutes({ store, tokens, content }), ...tutorRoutes({ tokens, store, liveRooms }), ...webRoutes,
  }, { skipTrailingSlashes: true }) as never);

  // Everything is loaded: what start-up left behind goes back before the first client comes.
  const startUpMemoryReleasedMb = await releaseStartUpMemory(store);
  try {
    await colyseus.listen(config.port, config.host);
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  const port = await listeningPort(transport);
  // Several processes: only sessions no live process holds are orphans. Listening has health-checked
  // the other processes, so rooms of a process that died are no longer listed.
  if (config.redis) {
    const live = (await matchMaker.query({ name: "lesson" })).map((listing) => listing.roomId);
    await closeOrphans(store, attempts, logger, [...new Set([...live, ...liveRooms.keys()])]);
  }
  coordination.onRecovered(() => {
    // A Redis that restarted empty has lost this process's room listings and counts: put them back
    // so rooms in progress can be joined through any process again.
    void (async () => {
      await matchMaker.restoreMissingRoomCaches();
      await matchMaker.stats.persist(true);
      logger.info({ rooms: liveRooms.size }, "room listings restored in Redis");
    })().catch((error) => logger.warn({ err: error }, "could not restore room listings in Redis yet"));
  });
  // The thread pool and the database thread exist by now (start-up read files and opened the store).
  const lowered = lowerBackgroundThreads();
  logger.info({ host: config.host, port, transport: config.transport, store: store.kind, coordination: coordination.kind, processId: matchMaker.processId, publicAddress: config.publicAddress, backgroundThreadsLowered: lowered, startUpMemoryReleasedMb }, "KOTO Live is listening");
  attempts.start();

  let closing: Promise<void> | undefined;
  return {
    config, port, store, content, tokens, logger, colyseus, liveRooms, speech, attempts, coordination,
    close() {
      closing ??= (async () => {
        await attempts.stop();
        coordination.stop();
        await colyseus.gracefullyShutdown(false);
        await store.close();
      })();
      return closing;
    },
  };
}

function redisConnections(coordination: Coordination) {
  const report = coordination.describe();
  if (!report) return undefined;
  const { state: _state, ...connections } = report;
  return connections;
}

/** Time a re-evaluation in a room on another process may take (speech-to-text with its retries). */
const REMOTE_REEVALUATION_MS = 60_000;

/**
 * The room of a session that lives on another process: its attempts are re-evaluated and graded there, through
 * Colyseus' remote room call over Redis, so that room's state and the store keep agreeing. The room's
 * error (code and HTTP status) comes back as it would from a room in this process.
 */
async function remoteOwner(sessionId: string, coordination: () => Coordination): Promise<AttemptOwner | undefined> {
  const redisDown = () => new KotoError("REDIS_UNAVAILABLE", "the session lives on another server, which cannot be reached while the coordination service is down; try again in a moment", 503);
  if (!coordination().isAvailable()) throw redisDown();
  const listing = await matchMaker.driver.findOne({ roomId: sessionId }).catch(() => { throw redisDown(); });
  if (!listing) return undefined;
  return {
    reevaluateAttempt: (attemptId, how = {}) =>
      callRoom<null>(sessionId, "reevaluateAttemptRemotely", [attemptId, how], REMOTE_REEVALUATION_MS).then(() => {}),
    gradeAttempt: (attemptId, grade) => callRoom<null>(sessionId, "gradeAttemptRemotely", [attemptId, grade], REMOTE_REEVALUATION_MS).then(() => {}),
  };
}

/** Ends sessions no process holds (they stay resumable) and settles their interrupted attempts. */
async function closeOrphans(store: Store, attempts: AttemptService, logger: Logger, liveSessionIds: string[]): Promise<void> {
  const orphans = await store.endOrphanSessions(liveSessionIds);
  if (orphans > 0) logger.info({ orphans }, "closed sessions left open by a process that stopped");
  const interrupted = await attempts.recoverInterrupted({ exceptSessionIds: liveSessionIds });
  if (interrupted.kept + interrupted.lost > 0) logger.warn(interrupted, "attempts interrupted by a restart were marked failed");
}

export { matchMaker };
