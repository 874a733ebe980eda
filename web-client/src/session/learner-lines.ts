/**
 * A learner's lines: the lines of the dialogue role they play, never the whole dialogue (a lesson of
 * 8 lines has 4 for the learner). Every "n of total" the app shows counts through here — the turn
 * panel, the recap and the end-of-lesson card, the lesson list, the progress page and the tutor's
 * learner card — so no two places can disagree.
 */
import type { AttemptSnapshot, LessonSnapshot } from "./snapshot.ts";

interface Line {
  index: number;
  speaker: string;
}

/** A type, not an interface: it goes straight into `t()` as the placeholders' values. */
export type LineCount = { done: number; total: number };

/** The role a learner plays in this session ("" before they have one). */
export function learnerRole(snapshot: LessonSnapshot, userId: string): string {
  return snapshot.participants[userId]?.dialogueRole ?? "";
}

export function learnerLines<L extends Line>(steps: readonly L[], role: string): L[] {
  return steps.filter((step) => step.speaker === role);
}

/** Where the line due now stands among the learner's lines ("Line 2 of 4"), or null when it is not theirs. */
export function linePosition(steps: readonly Line[], role: string, stepIndex: number): { n: number; total: number } | null {
  const mine = learnerLines(steps, role);
  const position = mine.findIndex((step) => step.index === stepIndex);
  return position < 0 ? null : { n: position + 1, total: mine.length };
}

/**
 * Stored progress (any session): how many of their lines the learner has ever passed. The store
 * keeps no role, but a learner passes only lines of the role they play, so the role is the one whose
 * lines were passed — the lesson's learner role unless they practised the partner's side in a pair.
 */
export function linesPassed(steps: readonly Line[], learnerRole: string, completedSteps: readonly number[]): LineCount {
  const completed = new Set(completedSteps);
  const passedOf = (role: string) => learnerLines(steps, role).filter((step) => completed.has(step.index)).length;
  const other = steps.find((step) => step.speaker !== learnerRole)?.speaker;
  const role = other !== undefined && passedOf(other) > passedOf(learnerRole) ? other : learnerRole;
  return { done: passedOf(role), total: learnerLines(steps, role).length };
}

/**
 * A line with no answer in this session that the learner passed before: this session resumed past
 * it. (Lines ahead of the conversation are never "earlier": a finished run's passes do not count for
 * a new run until the learner gets there.)
 */
export function doneEarlier(attemptsOnLine: readonly AttemptSnapshot[], completed: ReadonlySet<number>, stepIndex: number): boolean {
  return attemptsOnLine.length === 0 && completed.has(stepIndex);
}

/**
 * The learner's lines said in this lesson session, however they were passed: an answer in this
 * session passed (spoken and scored, typed, or graded at the pass mark by a tutor, also after the
 * learner went on or the lesson ended), or the session resumed past a line they passed on an earlier
 * visit. A line answered wrong and gone past is not said, even when an earlier run of the lesson
 * passed it.
 */
export function linesSaid(snapshot: LessonSnapshot, userId: string): LineCount {
  const mine = learnerLines(snapshot.steps, learnerRole(snapshot, userId));
  const attempts = snapshot.attempts.filter((attempt) => attempt.learnerId === userId);
  const completed = new Set(snapshot.progress[userId]?.completedSteps ?? []);
  const reached = snapshot.phase === "finished" ? snapshot.steps.length : snapshot.phase === "running" ? snapshot.currentStep : 0;
  const said = mine.filter((step) => {
    const onLine = attempts.filter((attempt) => attempt.step === step.index);
    return onLine.some((attempt) => attempt.passed) || (step.index < reached && doneEarlier(onLine, completed, step.index));
  });
  return { done: said.length, total: mine.length };
}
