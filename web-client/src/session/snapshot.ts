/**
 * Plain-data copies of the synchronized lesson state (schema/index.ts), as `state.toJSON()` gives
 * them: maps become objects keyed by id. Views render from these, never from live schema objects.
 * Fields marked tutor-only are absent for learners.
 */

export interface StepSnapshot {
  index: number;
  speaker: string;
  korean: string;
  romanization: string;
  translation: string;
  audioUrl: string;
  accepted: string[];
  playedByServer: boolean;
}

export interface ParticipantSnapshot {
  id: string;
  displayName: string;
  role: "learner" | "tutor" | string;
  platform: string;
  dialogueRole: string;
  connected: boolean;
  speaking: boolean;
  account?: { userId: string; email: string; kind: string; createdAt: string };
}

export interface TutorNoteSnapshot {
  tutorId: string;
  tutorName: string;
  text: string;
  at: number;
}

export interface ProgressSnapshot {
  learnerId: string;
  currentStep: number;
  completedSteps: number[];
  attemptsCount: number;
  bestScore: number;
  hintsUsed: number;
  lastHint: string;
  notes?: TutorNoteSnapshot[];
}

export interface SyllableSnapshot {
  index: number;
  target: string;
  heard: string;
  verdict: string;
  jamo: string;
}

export type AttemptStatus = "recording" | "evaluating" | "scored" | "failed" | "awaiting-tutor";

export interface AttemptSnapshot {
  id: string;
  learnerId: string;
  step: number;
  kind: "typed" | "spoken" | string;
  status: AttemptStatus | string;
  text: string;
  correct: boolean;
  overall: number;
  accuracy: number;
  completeness: number;
  fluency: number;
  syllables: SyllableSnapshot[];
  feedback: string;
  failureReason: string;
  tutorScore: number;
  tutorComment: string;
  createdAt: number;
  evaluation?: string;
}

export interface LessonSnapshot {
  lesson: { id: string; pack: string; title: string; level: string; learnerLanguage: string };
  phase: "lobby" | "running" | "finished" | string;
  currentStep: number;
  steps: StepSnapshot[];
  participants: Record<string, ParticipantSnapshot>;
  progress: Record<string, ProgressSnapshot>;
  attempts: AttemptSnapshot[];
  maxLearners: number;
}

/** Fills what a partial first patch may still lack, so views can read without guards. */
export function normalizeSnapshot(raw: Partial<LessonSnapshot> | undefined): LessonSnapshot {
  return {
    lesson: raw?.lesson ?? { id: "", pack: "", title: "", level: "", learnerLanguage: "" },
    phase: raw?.phase ?? "",
    currentStep: raw?.currentStep ?? 0,
    steps: raw?.steps ?? [],
    participants: raw?.participants ?? {},
    progress: raw?.progress ?? {},
    attempts: (raw?.attempts ?? []).map((attempt) => ({ ...attempt, syllables: attempt.syllables ?? [] })),
    maxLearners: raw?.maxLearners ?? 0,
  };
}

export const isSettled = (status: string) => status === "scored" || status === "failed" || status === "awaiting-tutor";
