/**
 * Puts the learner's own name where a line has the `{name}` slot, in everything the learner reads:
 * the name they said in Hangul once they have said it (what the scorer heard, so the coloured line
 * matches), their display name before that. The scorer does the same (server/content/name-slot.ts).
 */
import { fillNameSlot, hasNameSlot, romanizationWithName, spokenName } from "../../../../server/content/name-slot.ts";
import type { LessonSnapshot, StepSnapshot } from "../../session/snapshot.ts";

export function withLearnerName(snapshot: LessonSnapshot, displayName: string, userId?: string): LessonSnapshot {
  if (!snapshot.steps.some((step) => hasNameSlot(step.korean) || hasNameSlot(step.translation))) return snapshot;
  const name = userId ? nameSaid(snapshot, userId) ?? displayName : displayName;
  // The translation keeps the name as the learner writes it; the Korean, as they said it.
  return { ...snapshot, steps: snapshot.steps.map((step) => namedStep(step, name, displayName)) };
}

function nameSaid(snapshot: LessonSnapshot, userId: string): string | null {
  for (const attempt of snapshot.attempts) {
    const step = snapshot.steps[attempt.step];
    if (attempt.learnerId !== userId || !attempt.text || !step || !hasNameSlot(step.korean)) continue;
    if (attempt.status !== "scored" && attempt.status !== "awaiting-tutor") continue;
    const name = spokenName(step.korean, attempt.text);
    if (name) return name;
  }
  return null;
}

function namedStep(step: StepSnapshot, name: string, displayName: string): StepSnapshot {
  return {
    ...step,
    korean: fillNameSlot(step.korean, name),
    romanization: romanizationWithName(step.romanization, name),
    translation: fillNameSlot(step.translation, displayName),
    accepted: step.accepted.map((answer) => fillNameSlot(answer, name)),
  };
}
