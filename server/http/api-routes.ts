/**
 * The JSON API: sign-in, lessons, progress and (tutors only) sessions.
 */
import { z } from "zod";
import { KotoError } from "../errors.ts";
import { hashPassword, verifyPassword } from "../auth/passwords.ts";
import type { TokenService } from "../auth/token-service.ts";
import { accountDisabled, authenticate as authenticateToken, type Authenticated } from "../auth/authenticate.ts";
import type { SignInGate } from "../auth/sign-in-limits.ts";
import { lessonSummary, type ContentCatalog } from "../content/lesson.ts";
import type { Store } from "../store/store.ts";
import type { RecordingStorage } from "../recordings/index.ts";
import { bearerToken, endpoint, jsonResponse, readJsonBody } from "./endpoint.ts";
import { clientAddress } from "./http-edge.ts";
import { bytesResponse, rangeNotSatisfiable, wantedBytes } from "./byte-ranges.ts";
import { INVISIBLE_FORMATTING, tutorMessages } from "../../protocol/client-messages.ts";
import type { AttemptService } from "../attempts/attempt-service.ts";
import { attemptToWire } from "../attempts/attempt-mappers.ts";
import { ATTEMPT_STATUSES, type AttemptStatus } from "../attempts/attempt.ts";
import { WindowCounter } from "../limits/window-counter.ts";
import { UsageLimitError } from "../speech/limits/usage-limits.ts";

/** Re-evaluations one tutor may ask for over HTTP in a minute (a tutor reviews a handful at a time). */
const REEVALUATIONS_PER_TUTOR_PER_MINUTE = 30;
/**
 * A whole recording is read into memory before it is sent (README: downloads are not streamed), so one
 * account asking for thousands at once slowed every other request. A player fetches one per play (a
 * range request or two in a browser's audio element): 120 a minute is far above a tutor reviewing answers.
 */
const RECORDING_DOWNLOADS_PER_USER_PER_MINUTE = 120;
/** A learner who corrects their name does it a few times at most. */
const RENAMES_PER_USER_PER_MINUTE = 10;

export interface ApiServices {
  store: Store;
  tokens: TokenService;
  content: ContentCatalog;
  recordings: RecordingStorage;
  attempts: AttemptService;
  passMark: number;
  signIn: SignInGate;
  /** `ok: false` answers 503, naming the part that is down. */
  health: () => Promise<{ ok: boolean; report: Record<string, unknown> }>;
}

/** Non-global (a `g` regex keeps its place between `test` calls), for names: refused, not dropped as in text. */
const INVISIBLE_IN_NAME = new RegExp(INVISIBLE_FORMATTING.source, "u");
const displayName = z.string().trim().min(1, "must not be empty").max(40, "must be at most 40 characters")
  .refine((name) => !/[\u0000-\u001f<>]/.test(name), "must not contain control characters or < >")
  // Shown to tutors and the other learner: a right-to-left override would show it reversed.
  .refine((name) => !INVISIBLE_IN_NAME.test(name) && !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(name), "must not contain invisible or text-direction characters");

const guestBody = z.strictObject({ name: displayName });
const loginBody = z.strictObject({ email: z.string().trim().toLowerCase().email("must be an email address"), password: z.string().min(1).max(200) });
/** The in-session `grade` message's score and comment, one definition for both ways of grading. */
const gradeBody = tutorMessages.grade.omit({ attemptId: true });

/** The lines a solo learner says: what "3 of 4 lines" counts. */
function learnerLineCount(lesson: ReturnType<ContentCatalog["getLesson"]>): number {
  return lesson ? lesson.steps.filter((step) => step.speaker === lesson.learnerRole).length : 0;
}

// A bcrypt hash of a random string: comparing against it keeps an unknown email as slow as a wrong password.
let dummyHash: Promise<string> | undefined;

export function apiRoutes(services: ApiServices) {
  const { store, tokens, content, signIn } = services;
  const reevaluations = new WindowCounter(REEVALUATIONS_PER_TUTOR_PER_MINUTE, 60_000);
  const downloads = new WindowCounter(RECORDING_DOWNLOADS_PER_USER_PER_MINUTE, 60_000);
  const renames = new WindowCounter(RENAMES_PER_USER_PER_MINUTE, 60_000);

  async function authenticate(request: Request, role?: "tutor"): Promise<Authenticated> {
    const claims = await authenticateToken(tokens, store, bearerToken(request));
    if (role && claims.role !== role) throw new KotoError("ROLE_FORBIDDEN", "only tutors may do this; sign in as a tutor", 403);
    return claims;
  }

  return {
    health: endpoint("GET", "/healthz", async () => {
      const { ok, report } = await services.health();
      return ok ? report : jsonResponse(503, report);
    }),

    guest: endpoint("POST", "/api/auth/guest", async ({ request }) => {
      const body = await readJsonBody(request, guestBody);
      await signIn.admitGuest(clientAddress(request));
      const user = await store.createGuest(body.name);
      const issued = await tokens.issue({ userId: user.id, role: "learner", displayName: user.displayName });
      return { ...issued, user: { id: user.id, displayName: user.displayName, role: "learner" } };
    }),

    /**
     * A learner changes the name they practise under: the same account (progress, streak, recordings)
     * with a new token carrying the new name. Before, the web client made a new guest for a new name,
     * and the learner's progress seemed gone.
     */
    rename: endpoint("POST", "/api/me/name", async ({ request }) => {
      const claims = await authenticate(request);
      if (claims.role !== "learner") throw new KotoError("ROLE_FORBIDDEN", "a tutor's name is set on their account by an administrator", 403);
      const body = await readJsonBody(request, guestBody);
      const waitMs = renames.take(claims.userId);
      if (waitMs > 0) throw new UsageLimitError("RATE_LIMITED", `more than ${RENAMES_PER_USER_PER_MINUTE} name changes a minute; wait a moment`, 429, waitMs);
      const user = await store.renameGuest(claims.userId, body.name);
      if (!user) throw new KotoError("AUTH_TOKEN_INVALID", "this learner no longer exists; enter your name to start again", 401);
      const issued = await tokens.issue({ userId: user.id, role: "learner", displayName: user.displayName });
      return { ...issued, user: { id: user.id, displayName: user.displayName, role: "learner" } };
    }),

    login: endpoint("POST", "/api/auth/login", async ({ request }) => {
      const body = await readJsonBody(request, loginBody);
      await signIn.admitLogin(clientAddress(request), body.email);
      const tutor = await store.findTutorByEmail(body.email);
      dummyHash ??= hashPassword(crypto.randomUUID(), 12);
      // Unknown email and wrong password: the same hash work, the same count, the same answer.
      const valid = await verifyPassword(body.password, tutor?.passwordHash ?? (await dummyHash));
      if (!tutor || !valid) {
        await signIn.loginFailed(body.email);
        throw new KotoError("LOGIN_FAILED", "the email or password is not right", 401);
      }
      await signIn.loginSucceeded(body.email);
      if (tutor.disabled) throw accountDisabled();
      const issued = await tokens.issue({ userId: tutor.id, role: "tutor", displayName: tutor.displayName });
      return { ...issued, user: { id: tutor.id, displayName: tutor.displayName, role: "tutor", email: tutor.email } };
    }),

    lessons: endpoint("GET", "/api/lessons", async ({ query }) => {
      const given = query.getAll("pack");
      if (given.length > 1) throw new KotoError("QUERY_INVALID", "give pack once (one pack id, or none for every pack)");
      const pack = given[0] ?? null;
      const packIds = content.packs.map((candidate) => candidate.id).join(", ");
      if (pack === "") throw new KotoError("QUERY_INVALID", `pack is empty; leave it out for every pack, or give one of ${packIds}`);
      if (pack && !content.packs.some((candidate) => candidate.id === pack)) {
        throw new KotoError("PACK_NOT_FOUND", `no pack "${pack}"; packs: ${packIds}`, 404);
      }
      const packs = content.packs.filter((candidate) => !pack || candidate.id === pack);
      return {
        packs: packs.map((candidate) => ({ id: candidate.id, title: candidate.title, learnerLanguage: candidate.learnerLanguage, lessonIds: candidate.lessonIds })),
        lessons: packs.flatMap((candidate) => candidate.lessonIds.map((id) => lessonSummary(content.getLesson(id)!))),
      };
    }),

    lesson: endpoint("GET", "/api/lessons/:id", async ({ params }) => {
      const lesson = content.getLesson(params.id);
      if (!lesson) throw new KotoError("LESSON_NOT_FOUND", `no lesson "${params.id}"`, 404);
      return lesson;
    }),

    myProgress: endpoint("GET", "/api/progress/me", async ({ request }) => {
      const claims = await authenticate(request);
      const progress = await store.listProgress(claims.userId);
      return {
        user: { id: claims.userId, displayName: claims.displayName, role: claims.role },
        progress: progress.map((entry) => ({
          ...entry,
          title: content.getLesson(entry.lessonId)?.title ?? entry.lessonId,
          stepCount: content.getLesson(entry.lessonId)?.steps.length ?? 0,
          learnerStepCount: learnerLineCount(content.getLesson(entry.lessonId)),
        })),
      };
    }),

    /** A spoken attempt's recording: tutors hear any attempt, learners only their own. */
    attemptAudio: endpoint("GET", "/api/attempts/:id/audio", async ({ request, params }) => {
      const claims = await authenticate(request);
      // Counted before the lookup: asking for ids that are not there costs a read too.
      const waitMs = downloads.take(claims.userId);
      if (waitMs > 0) {
        throw new UsageLimitError("RATE_LIMITED", `more than ${RECORDING_DOWNLOADS_PER_USER_PER_MINUTE} recordings a minute; wait a moment`, 429, waitMs);
      }
      const attempt = await store.getAttempt(params.id);
      // The same answer for "not yours" and "not there", so ids cannot be probed.
      if (!attempt || (claims.role !== "tutor" && attempt.learnerId !== claims.userId)) {
        throw new KotoError("ATTEMPT_NOT_FOUND", `no attempt "${params.id}" you may listen to`, 404);
      }
      const recording = await store.getRecording(attempt.id);
      const noRecording = () => new KotoError("RECORDING_NOT_FOUND", "this attempt has no recording (typed, or still recording)", 404);
      const stored = recording && (await services.recordings.stat(recording.objectKey));
      if (!stored) throw noRecording();
      // A player seeking asks for parts (Range): only those bytes are read from storage.
      const wanted = wantedBytes(request.headers, stored.size);
      if (wanted === "unsatisfiable") return rangeNotSatisfiable(stored.size);
      const range = wanted.whole ? null : wanted.range;
      const audio = await services.recordings.get(recording.objectKey, range ?? undefined);
      if (!audio) throw noRecording();
      return bytesResponse(audio.bytes, audio.contentType, stored.size, range, { "cache-control": "private, no-store" });
    }),

    /** Tutors: attempts by status (for example the failed ones to evaluate again), oldest first. */
    attemptsByStatus: endpoint("GET", "/api/attempts", async ({ request, query }) => {
      await authenticate(request, "tutor");
      const status = query.get("status") ?? "failed";
      if (!(ATTEMPT_STATUSES as readonly string[]).includes(status)) {
        throw new KotoError("QUERY_INVALID", `status must be one of ${ATTEMPT_STATUSES.join(", ")}`);
      }
      const attempts = await store.listAttemptsByStatus({ statuses: [status as AttemptStatus], limit: 100 });
      // A dashboard row names who answered and in which lesson, whether or not the session is still listed.
      const learnerIds = [...new Set(attempts.map((attempt) => attempt.learnerId))];
      const names = new Map(await Promise.all(learnerIds.map(async (id) => [id, (await store.getUser(id))?.displayName ?? null] as const)));
      return {
        attempts: attempts.map((attempt) => ({
          ...attemptToWire(attempt, { passMark: services.passMark, forTutor: true }),
          learnerName: names.get(attempt.learnerId) ?? null,
          lessonTitle: content.getLesson(attempt.lessonId)?.title ?? attempt.lessonId,
        })),
      };
    }),

    /** Tutors: run a kept recording through evaluation again, in or outside its session. */
    reevaluate: endpoint("POST", "/api/attempts/:id/reevaluate", async ({ request, params }) => {
      const { userId } = await authenticate(request, "tutor");
      // Each is a speech-to-text call sharing the provider's queue with live answers.
      const waitMs = reevaluations.take(userId);
      if (waitMs > 0) {
        throw new UsageLimitError("RATE_LIMITED", `more than ${REEVALUATIONS_PER_TUTOR_PER_MINUTE} re-evaluations a minute; wait a moment`, 429, waitMs);
      }
      const attempt = await services.attempts.reevaluate(params.id);
      return { attempt: attemptToWire(attempt, { passMark: services.passMark, forTutor: true }) };
    }),

    /**
     * Tutors: grade an answer, from the dashboard; the same as `grade` in the session (handed to its live room
     * when there is one), and the only way once the session has ended (answers left awaiting a tutor).
     */
    grade: endpoint("POST", "/api/attempts/:id/grade", async ({ request, params }) => {
      const { userId } = await authenticate(request, "tutor");
      const { score, comment } = await readJsonBody(request, gradeBody);
      const attempt = await services.attempts.grade(params.id, { tutorId: userId, score, comment });
      return { attempt: attemptToWire(attempt, { passMark: services.passMark, forTutor: true }) };
    }),

    sessions: endpoint("GET", "/api/sessions", async ({ request, query }) => {
      await authenticate(request, "tutor");
      const live = query.get("live");
      if (live !== null && live !== "true" && live !== "false") throw new KotoError("QUERY_INVALID", "live must be true or false");
      const sessions = await store.listSessions({ live: live === null ? undefined : live === "true", limit: 100 });
      return {
        sessions: sessions.map((session) => ({
          ...session,
          lessonTitle: content.getLesson(session.lessonId)?.title ?? session.lessonId,
          live: session.endedAt === null,
          // `phase` is the conversation's when the session closed; this says what became of the session.
          status: session.phase === "finished" ? "finished" : session.endedAt === null ? "live" : "stopped",
        })),
      };
    }),
  };
}
