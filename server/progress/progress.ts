/**
 * Pure rules of a learner's progress through one lesson: what an attempt result adds, and when the
 * lesson counts as completed. The room applies them to synchronized state and writes them through
 * the store; they are tested without sockets.
 */
import type { AttemptRecord } from "../attempts/attempt.ts";
import { attemptPasses, attemptScore } from "../attempts/attempt.ts";
import type { ProgressCounts, ProgressWrite } from "../store/store.ts";

export interface ProgressFields {
  currentStep: number;
  completedSteps: number[];
  attemptsCount: number;
  bestScore: number;
  hintsUsed: number;
}

/**
 * What a settled attempt changes. An attempt is counted once, when its first result arrives
 * (`firstResult`); re-evaluations and tutor grades only add a pass or a better score.
 */
export function progressAfterResult(
  progress: ProgressFields, attempt: Pick<AttemptRecord, "stepIndex" | "correct" | "tutorScore" | "overall">,
  options: { firstResult: boolean; passMark: number; nextStep?: number },
): ProgressFields {
  const passes = attemptPasses(attempt, options.passMark);
  const score = attemptScore(attempt);
  return {
    ...progress,
    attemptsCount: progress.attemptsCount + (options.firstResult ? 1 : 0),
    bestScore: score === null ? progress.bestScore : Math.max(progress.bestScore, score),
    completedSteps: passes && !progress.completedSteps.includes(attempt.stepIndex)
      ? [...progress.completedSteps, attempt.stepIndex]
      : progress.completedSteps,
    currentStep: options.nextStep ?? progress.currentStep,
  };
}

/**
 * The row to write. A lesson is completed when the learner passed every line of their dialogue role
 * (`roleSteps`, those lines' indices: lines of the other role passed in another session do not stand
 * in for them) — never when the role is unknown (a learner who already left), and not by reaching the
 * end of the conversation (`finished`) with lines skipped: that learner starts the lesson again next
 * time, their passed lines kept.
 * `countedFrom`: the counts the writer last read or wrote, so the store adds only what it counted since.
 */
export function progressWrite(
  userId: string, lessonId: string, progress: ProgressFields, roleSteps: readonly number[],
  options: { finished?: boolean; countedFrom?: ProgressCounts } = {},
): ProgressWrite {
  const completed = roleSteps.length > 0 && roleSteps.every((step) => progress.completedSteps.includes(step));
  return {
    userId, lessonId,
    currentStep: completed || options.finished ? 0 : progress.currentStep,
    completedSteps: [...progress.completedSteps].sort((a, b) => a - b),
    attemptsCount: progress.attemptsCount, bestScore: progress.bestScore, hintsUsed: progress.hintsUsed,
    completedAt: completed ? new Date().toISOString() : null,
    ...(options.countedFrom ? { countedFrom: options.countedFrom } : {}),
    ...(options.finished && !completed ? { restart: true } : {}),
  };
}
