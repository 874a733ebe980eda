/**
 * The KOTO Live HTTP API (docs/protocol.md). Every failure becomes an ApiError carrying the
 * server's code and sentence, or NETWORK when the server could not be reached.
 */
import type { LessonStep } from "../../server/content/lesson.ts";

export interface UserSummary {
  id: string;
  displayName: string;
  role: "learner" | "tutor";
  email?: string;
}

export interface SignedIn {
  token: string;
  expiresAt: string;
  user: UserSummary;
}

export interface PackSummary {
  id: string;
  title: string;
  learnerLanguage: string;
  lessonIds: string[];
}

export interface LessonSummary {
  id: string;
  pack: string;
  title: string;
  level: string;
  summary: string;
  stepCount: number;
  learnerLanguage: string;
}

/** The parts of a whole lesson the app shows beside the synchronized state. */
export interface LessonDetails {
  id: string;
  title: string;
  summary: string;
  learnerRole: string;
  /** `exampleName`: the name the model audio says where the learner's line has `{name}`. */
  roles: Record<string, { name: string; description: string; exampleName?: string | null }>;
  steps: Pick<LessonStep, "index" | "speaker" | "korean">[];
}

export interface ProgressEntry {
  lessonId: string;
  title: string;
  stepCount: number;
  currentStep: number;
  completedSteps: number[];
  attemptsCount: number;
  bestScore: number;
  hintsUsed: number;
  completedAt: string | null;
  updatedAt?: string;
  /** The lines a solo learner says (the server's count; the app counts through session/learner-lines.ts). */
  learnerStepCount?: number;
}

export interface LearnerSounds {
  confusions: { expected: string; heard: string; count: number; drill: { lessonId: string; stepIndex: number; korean: string; audioUrl: string | null }[] }[];
  streakDays: number;
  practiceDays: number;
  attemptsCounted: number;
}

export interface SessionSummary {
  id: string;
  lessonId: string;
  lessonTitle: string;
  /** The conversation's phase as it stood when the session closed (see `status` for the session itself). */
  phase: string;
  currentStep: number;
  live: boolean;
  status: "live" | "stopped" | "finished";
  startedAt: string;
  endedAt: string | null;
  participants: { userId: string; displayName: string; role: string; dialogueRole: string | null }[];
  attemptsCount: number;
  lastScore: number | null;
}

export interface FailedAttempt {
  id: string;
  sessionId: string;
  learnerId: string;
  lessonId: string;
  step: number;
  status: string;
  failureCode: string | null;
  failureReason: string | null;
  createdAt: string;
  retries?: number;
  /** Who answered (null when the account no longer exists) and the lesson's title. */
  learnerName: string | null;
  lessonTitle: string;
}

export type { SessionFlags } from "../../protocol/http-answers.ts";
import type { SessionFlags } from "../../protocol/http-answers.ts";

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
    this.name = "ApiError";
  }
}

export class ApiClient {
  private readonly lessonDetails = new Map<string, Promise<LessonDetails>>();

  constructor(readonly baseUrl: string) {}

  guest(name: string): Promise<SignedIn> {
    return this.request("POST", "/api/auth/guest", { body: { name } });
  }

  /** The same learner under a new name (a new token; progress stays theirs). */
  rename(token: string, name: string): Promise<SignedIn> {
    return this.request("POST", "/api/me/name", { token, body: { name } });
  }

  login(email: string, password: string): Promise<SignedIn> {
    return this.request("POST", "/api/auth/login", { body: { email, password } });
  }

  lessons(pack?: string): Promise<{ packs: PackSummary[]; lessons: LessonSummary[] }> {
    return this.request("GET", pack ? `/api/lessons?pack=${encodeURIComponent(pack)}` : "/api/lessons");
  }

  /**
   * A whole lesson, asked once per page load: the lesson list counts every lesson's lines from it, and
   * lessons change only when the server is redeployed. A failed fetch is asked again next time.
   */
  lesson(id: string): Promise<LessonDetails> {
    const known = this.lessonDetails.get(id);
    if (known) return known;
    const details = this.request<LessonDetails>("GET", `/api/lessons/${encodeURIComponent(id)}`);
    this.lessonDetails.set(id, details);
    details.catch(() => {
      if (this.lessonDetails.get(id) === details) this.lessonDetails.delete(id);
    });
    return details;
  }

  myProgress(token: string): Promise<{ user: UserSummary; progress: ProgressEntry[] }> {
    return this.request("GET", "/api/progress/me", { token });
  }

  mySounds(token: string): Promise<LearnerSounds> {
    return this.request("GET", "/api/learners/me/sounds", { token });
  }

  tutorFlags(token: string): Promise<{ sessions: Record<string, SessionFlags> }> {
    return this.request("GET", "/api/tutor/flags", { token });
  }

  liveSessions(token: string): Promise<{ sessions: SessionSummary[] }> {
    return this.request("GET", "/api/sessions?live=true", { token });
  }

  /** Tutors: attempts that failed (provider outage, restart, no speech), oldest first. */
  failedAttempts(token: string): Promise<{ attempts: FailedAttempt[] }> {
    return this.request("GET", "/api/attempts?status=failed", { token });
  }

  /** Tutors: spoken answers waiting for a tutor's grade (no speech-to-text scored them), oldest first. */
  awaitingGrade(token: string): Promise<{ attempts: FailedAttempt[] }> {
    return this.request("GET", "/api/attempts?status=awaiting-tutor", { token });
  }

  /** Tutors: grades an answer, through its live session or, once that has ended, in the store. */
  grade(token: string, attemptId: string, score: number, comment = ""): Promise<{ attempt: FailedAttempt }> {
    return this.request("POST", `/api/attempts/${encodeURIComponent(attemptId)}/grade`, { token, body: { score, comment } });
  }

  /** Tutors: runs a kept recording through evaluation again, in or outside its session. */
  reevaluate(token: string, attemptId: string): Promise<{ attempt: FailedAttempt }> {
    return this.request("POST", `/api/attempts/${encodeURIComponent(attemptId)}/reevaluate`, { token, body: {} });
  }

  /** A recording as a Blob (audio/wav); the caller owns the object URL it makes of it. */
  async attemptAudio(token: string, attemptId: string): Promise<Blob> {
    const response = await this.fetch("GET", `/api/attempts/${encodeURIComponent(attemptId)}/audio`, { token });
    if (!response.ok) throw await toApiError(response);
    return response.blob();
  }

  private async request<T>(method: "GET" | "POST", path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
    const response = await this.fetch(method, path, options);
    if (!response.ok) throw await toApiError(response);
    return (await response.json()) as T;
  }

  private async fetch(method: string, path: string, options: { token?: string; body?: unknown }): Promise<Response> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    try {
      return await fetch(this.baseUrl + path, {
        method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch {
      throw new ApiError("NETWORK", "the server could not be reached", 0);
    }
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) return new ApiError(body.error.code, body.error.message ?? body.error.code, response.status);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(`HTTP_${response.status}`, `the server answered ${response.status}`, response.status);
}

/**
 * Where the API lives. The server serves this app itself (API at the same origin); behind the
 * seed's Caddy the page is at /koto/ and the API at /koto-api. Order of precedence: `?api=` in the
 * page URL (remembered), a build-time VITE_KOTO_API_BASE, then a probe of /koto-api/healthz — which,
 * when the server serves the page directly, answers with the app's HTML rather than JSON.
 */
export async function resolveApiBase(location: Location, storage: Storage | null): Promise<string> {
  const fromQuery = new URLSearchParams(location.search).get("api");
  if (fromQuery) {
    storage?.setItem("koto.apiBase", fromQuery.replace(/\/+$/, ""));
    return fromQuery.replace(/\/+$/, "");
  }
  const remembered = storage?.getItem("koto.apiBase");
  if (remembered) return remembered;
  // Typed here, not through vite/client: the server's tests import this module under the root tsconfig too.
  const configured = (import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env?.VITE_KOTO_API_BASE ?? "";
  if (configured) return configured.replace(/\/+$/, "");
  const proxied = `${location.origin}/koto-api`;
  try {
    const response = await fetch(`${proxied}/healthz`, { headers: { accept: "application/json" } });
    if (response.ok && (response.headers.get("content-type") ?? "").includes("application/json")) return proxied;
  } catch {
    // no proxy: the origin it is
  }
  return location.origin;
}
