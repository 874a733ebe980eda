/**
 * Plain-data copies of the synchronized lesson state, as `state.toJSON()` gives them: maps become
 * objects keyed by id. The shapes are derived from the schema itself (schema/index.ts, the one
 * source for every client), so a field added there reaches these types without a hand-kept copy.
 * Views render from these, never from live schema objects. Tutor-only (`.view()`) fields are
 * absent for learners, hence optional here.
 */
import type { ToJSON } from "@colyseus/schema";
import type {
  Attempt, DialogueStep, LearnerProgress, LessonState, Participant, SyllableResult, TutorNote,
} from "../../../schema/index.ts";

export type AttemptSnapshot = Omit<ToJSON<Attempt>, "evaluation" | "syllables"> & {
  syllables: SyllableSnapshot[];
  evaluation?: string;
};
export type StepSnapshot = ToJSON<DialogueStep>;
export type ParticipantSnapshot = Omit<ToJSON<Participant>, "account"> & { account?: ToJSON<Participant>["account"] };
export type TutorNoteSnapshot = ToJSON<TutorNote>;
export type ProgressSnapshot = Omit<ToJSON<LearnerProgress>, "notes"> & { notes?: TutorNoteSnapshot[] };
export type SyllableSnapshot = ToJSON<SyllableResult>;
export type AttemptStatus = "recording" | "evaluating" | "scored" | "failed" | "awaiting-tutor";

type StateJson = ToJSON<LessonState>;
export type LessonSnapshot = Omit<StateJson, "participants" | "progress" | "attempts"> & {
  participants: Record<string, ParticipantSnapshot>;
  progress: Record<string, ProgressSnapshot>;
  attempts: AttemptSnapshot[];
};

/** Fills what a partial first patch may still lack, so views can read without guards. */
export function normalizeSnapshot(raw: Partial<LessonSnapshot> | undefined): LessonSnapshot {
  return {
    lesson: raw?.lesson ?? { id: "", pack: "", title: "", level: "", learnerLanguage: "", automaticScoring: true },
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
