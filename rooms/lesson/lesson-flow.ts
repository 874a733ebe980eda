/**
 * Pure rules of a conversational lesson: who plays which dialogue role, and which step comes next.
 * The room applies them to synchronized state; they are tested without sockets.
 */
import type { Role } from "../../server/content/lesson.ts";

export interface StepSpeaker {
  speaker: Role;
}

/**
 * A learner takes the lesson's learner role first; a second learner takes the partner role. A learner
 * who played a role in this session before (rejoining, or a resumed session) gets it back while it is free.
 */
export function chooseDialogueRole(taken: readonly Role[], learnerRole: Role, played?: Role): Role | null {
  if (played && !taken.includes(played)) return played;
  const partner: Role = learnerRole === "A" ? "B" : "A";
  if (!taken.includes(learnerRole)) return learnerRole;
  if (!taken.includes(partner)) return partner;
  return null;
}

/** Index of the first step at or after `from` that a learner must speak, or `steps.length` when none. */
export function nextLearnerStep(steps: readonly StepSpeaker[], from: number, learnerRoles: readonly Role[]): number {
  for (let index = Math.max(0, from); index < steps.length; index++) {
    if (learnerRoles.includes(steps[index].speaker)) return index;
  }
  return steps.length;
}

/** Index of the last learner step strictly before `from`, or the first learner step when there is none. */
export function previousLearnerStep(steps: readonly StepSpeaker[], from: number, learnerRoles: readonly Role[]): number {
  for (let index = Math.min(from, steps.length) - 1; index >= 0; index--) {
    if (learnerRoles.includes(steps[index].speaker)) return index;
  }
  return nextLearnerStep(steps, 0, learnerRoles);
}

/** Where a returning learner resumes: their saved step unless the lesson was completed or the step no longer exists. */
export function resumeStep(saved: { currentStep: number; completedAt: string | null } | null, stepCount: number): number {
  if (!saved || saved.completedAt !== null) return 0;
  return saved.currentStep >= 0 && saved.currentStep < stepCount ? saved.currentStep : 0;
}
