/**
 * The attempt: one answer a learner gave to one line, typed or spoken. This module owns its one
 * record type, its status union and the transitions allowed between statuses; state, store and
 * wire shapes are mapped from this record next door (attempt-mappers.ts), never by hand elsewhere.
 */
import { KotoError } from "../errors.ts";

export const ATTEMPT_STATUSES = ["recording", "evaluating", "scored", "failed", "awaiting-tutor"] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];
export type AttemptKind = "typed" | "spoken";

/** The scorer's verdicts (server/speech/scoring); kept as strings here so the scorer may add kinds. */
export type SyllableVerdict = string;

export interface SyllableRecord {
  index: number | null;
  target: string;
  heard: string;
  verdict: SyllableVerdict;
  jamo?: { expected: string; heard: string }[];
}

export interface AttemptRecord {
  id: string;
  sessionId: string;
  learnerId: string;
  lessonId: string;
  stepIndex: number;
  kind: AttemptKind;
  status: AttemptStatus;
  text: string;
  correct: boolean;
  overall: number | null;
  accuracy: number | null;
  completeness: number | null;
  fluency: number | null;
  syllables: SyllableRecord[] | null;
  feedback: string | null;
  /** Machine code of a failure (clients translate it); `failureReason` is the English sentence. */
  failureCode: string | null;
  failureReason: string | null;
  evaluation: Record<string, unknown> | null;
  tutorId: string | null;
  tutorScore: number | null;
  tutorComment: string | null;
  /** Automatic re-evaluations tried after a provider outage. */
  retries: number;
  createdAt: string;
}

/** A tutor's grade of an answer: given in the live session, or over HTTP once it has ended. */
export interface TutorGrade {
  tutorId: string;
  score: number;
  comment: string;
}

export type NewAttempt = Omit<AttemptRecord, "tutorId" | "tutorScore" | "tutorComment" | "createdAt" | "retries">;

/**
 * Who may move an attempt where. `evaluating` is entered when the audio is kept (or again for a
 * re-evaluation); a tutor's grade settles any finished attempt as `scored`.
 */
const TRANSITIONS: Record<AttemptStatus, readonly AttemptStatus[]> = {
  recording: ["evaluating", "failed"],
  evaluating: ["scored", "failed", "awaiting-tutor"],
  scored: ["evaluating", "scored"],
  failed: ["evaluating", "scored"],
  "awaiting-tutor": ["evaluating", "scored"],
};

export function canTransition(from: AttemptStatus, to: AttemptStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(attempt: Pick<AttemptRecord, "id" | "status">, to: AttemptStatus): void {
  if (!canTransition(attempt.status, to)) {
    throw new KotoError(
      attempt.status === "recording" || attempt.status === "evaluating" ? "ATTEMPT_BUSY" : "ATTEMPT_STATE_INVALID",
      attempt.status === "recording" || attempt.status === "evaluating"
        ? "this attempt is still being recorded or evaluated; wait for its result"
        : `an attempt that is ${attempt.status} cannot become ${to}`,
      409,
    );
  }
}

/** A new record with every result field empty. */
export function newAttempt(fields: Pick<NewAttempt, "id" | "sessionId" | "learnerId" | "lessonId" | "stepIndex" | "kind" | "status"> & Partial<NewAttempt>): NewAttempt {
  return {
    text: "", correct: false, overall: null, accuracy: null, completeness: null, fluency: null, syllables: null,
    feedback: null, failureCode: null, failureReason: null, evaluation: null, ...fields,
  };
}

/** The result part of a record: what a transition may change. */
export type AttemptResult = Partial<Pick<AttemptRecord,
  "text" | "correct" | "overall" | "accuracy" | "completeness" | "fluency" | "syllables" | "feedback" |
  "failureCode" | "failureReason" | "evaluation" | "tutorId" | "tutorScore" | "tutorComment" | "retries">>;

/** Applies a checked transition and returns the new record (records are never mutated in place). */
export function transition(attempt: AttemptRecord, to: AttemptStatus, result: AttemptResult = {}): AttemptRecord {
  assertTransition(attempt, to);
  const next: AttemptRecord = { ...attempt, ...result, status: to };
  // A result replaces the previous one whole: no stale failure next to a fresh score.
  if (to === "scored" && result.failureCode === undefined && attempt.status !== "scored") {
    next.failureCode = null;
    next.failureReason = null;
  }
  if (to === "evaluating") {
    next.failureCode = null;
    next.failureReason = null;
  }
  return next;
}

/**
 * Where an evaluation's outcome leaves an attempt. A tutor's grade stands: an attempt a tutor graded is
 * `scored` whatever a later evaluation says (it needs no tutor any more, and it is not a failure); the
 * new evaluation's findings are kept beside the grade, a failure's code and sentence are not.
 */
export function settledOutcome(
  attempt: Pick<AttemptRecord, "tutorScore">, to: "scored" | "failed" | "awaiting-tutor", result: AttemptResult,
): { to: "scored" | "failed" | "awaiting-tutor"; result: AttemptResult } {
  if (attempt.tutorScore === null || to === "scored") return { to, result };
  const { failureCode: _code, failureReason: _reason, ...kept } = result;
  return { to: "scored", result: { ...kept, failureCode: null, failureReason: null } };
}

/** Scores a tutor grade must reach to count as passing (issue: "pass mark", default 80). */
export const DEFAULT_PASS_MARK = 80;

/**
 * An attempt passes when the scorer found every syllable right by sound, or when a tutor's grade
 * reaches the pass mark. A tutor grade below the mark does not undo an automatic pass.
 */
export function attemptPasses(attempt: Pick<AttemptRecord, "correct" | "tutorScore">, passMark = DEFAULT_PASS_MARK): boolean {
  return attempt.correct || (attempt.tutorScore !== null && attempt.tutorScore >= passMark);
}

/** The score shown for an attempt: the tutor's grade when there is one, else the scorer's overall. */
export function attemptScore(attempt: Pick<AttemptRecord, "overall" | "tutorScore">): number | null {
  return attempt.tutorScore ?? attempt.overall;
}
