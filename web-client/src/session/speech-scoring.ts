/**
 * Whether the server scores spoken answers by itself: the room says so in its state
 * (`lesson.automaticScoring`, false with STT_PROVIDER=none), so the learner is told before their
 * first answer. Spoken answers are then kept for a tutor, and settle awaiting one with STT_DISABLED,
 * whose sentence is also what the page shows beside the microphone.
 */
import type { ErrorCode } from "../../../protocol/error-codes.ts";
import type { LessonSnapshot } from "./snapshot.ts";

export const SCORING_OFF_CODE: ErrorCode = "STT_DISABLED";

export function speechScoringOff(snapshot: Pick<LessonSnapshot, "lesson">): boolean {
  return snapshot.lesson.automaticScoring === false;
}
