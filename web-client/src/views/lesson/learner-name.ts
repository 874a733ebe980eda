/**
 * Puts the learner's own name where a line has the `{name}` slot, in everything the learner reads.
 * The scorer does the same with the name they actually say (server/content/name-slot.ts).
 */
import { fillNameSlot, hasNameSlot } from "../../../../server/content/name-slot.ts";
import type { LessonSnapshot, StepSnapshot } from "../../session/snapshot.ts";

export function withLearnerName(snapshot: LessonSnapshot, name: string): LessonSnapshot {
  if (!snapshot.steps.some((step) => hasNameSlot(step.korean) || hasNameSlot(step.translation))) return snapshot;
  return { ...snapshot, steps: snapshot.steps.map((step) => namedStep(step, name)) };
}

function namedStep(step: StepSnapshot, name: string): StepSnapshot {
  return {
    ...step,
    korean: fillNameSlot(step.korean, name),
    romanization: fillNameSlot(step.romanization, name),
    translation: fillNameSlot(step.translation, name),
    accepted: step.accepted.map((answer) => fillNameSlot(answer, name)),
  };
}
