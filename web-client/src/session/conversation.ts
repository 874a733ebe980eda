/**
 * What a learner sees of the conversation, derived from the synchronized state: lines already said
 * (the partner's and their own, with their attempts), then the line that is due now.
 */
import { doneEarlier, learnerRole } from "./learner-lines.ts";
import type { AttemptSnapshot, LessonSnapshot, ParticipantSnapshot, StepSnapshot } from "./snapshot.ts";

export type ConversationItem =
  | { kind: "partner"; step: StepSnapshot; by: "server" | "learner"; speakerName: string }
  /** `doneEarlier`: no answer in this session, but the learner completed the line in an earlier one (not "skipped"). */
  | { kind: "own"; step: StepSnapshot; attempts: AttemptSnapshot[]; doneEarlier: boolean }
  | { kind: "prompt"; step: StepSnapshot; attempts: AttemptSnapshot[] }
  | { kind: "waiting"; step: StepSnapshot; speakerName: string };

function learnerPlaying(snapshot: LessonSnapshot, role: string): ParticipantSnapshot | undefined {
  return Object.values(snapshot.participants).find((participant) => participant.role === "learner" && participant.dialogueRole === role);
}

export function conversationFor(snapshot: LessonSnapshot, userId: string, roleNames: Record<string, string> = {}): ConversationItem[] {
  const role = learnerRole(snapshot, userId);
  const mine = snapshot.attempts.filter((attempt) => attempt.learnerId === userId);
  const completed = new Set(snapshot.progress[userId]?.completedSteps ?? []);
  const items: ConversationItem[] = [];
  if (snapshot.phase === "lobby") return items;
  const said = snapshot.phase === "finished" ? snapshot.steps.length : Math.min(snapshot.currentStep, snapshot.steps.length);
  const speakerName = (step: StepSnapshot) => learnerPlaying(snapshot, step.speaker)?.displayName ?? roleNames[step.speaker] ?? step.speaker;

  for (const step of snapshot.steps.slice(0, said)) {
    if (step.speaker === role) {
      const attempts = mine.filter((attempt) => attempt.step === step.index);
      items.push({ kind: "own", step, attempts, doneEarlier: doneEarlier(attempts, completed, step.index) });
    } else {
      items.push({ kind: "partner", step, by: step.playedByServer ? "server" : "learner", speakerName: speakerName(step) });
    }
  }
  const current = snapshot.phase === "running" ? snapshot.steps[snapshot.currentStep] : undefined;
  if (current) {
    items.push(current.speaker === role
      ? { kind: "prompt", step: current, attempts: mine.filter((attempt) => attempt.step === current.index) }
      : { kind: "waiting", step: current, speakerName: speakerName(current) });
  }
  return items;
}

/** Partner lines the server plays, in order: the ones newly said since `playedThrough` are read aloud. */
export function serverLinesSaid(snapshot: LessonSnapshot, userId: string): StepSnapshot[] {
  const role = learnerRole(snapshot, userId);
  const said = snapshot.phase === "finished" ? snapshot.steps.length : snapshot.phase === "running" ? snapshot.currentStep : 0;
  return snapshot.steps.slice(0, said).filter((step) => step.speaker !== role && step.playedByServer);
}

/**
 * The partner lines a learner need not hear when the conversation starts part-way through (a resumed
 * lesson starts at the line they reached): every one the server has played except the line just before
 * the current one, which is what the learner answers. A conversation starting at the top has none.
 */
export function linesHeardBefore(snapshot: LessonSnapshot, userId: string): StepSnapshot[] {
  return serverLinesSaid(snapshot, userId).filter((step) => step.index !== snapshot.currentStep - 1);
}

export function latestAttemptOf(snapshot: LessonSnapshot, userId: string): AttemptSnapshot | undefined {
  const mine = snapshot.attempts.filter((attempt) => attempt.learnerId === userId);
  return mine[mine.length - 1];
}

export function isMyTurn(snapshot: LessonSnapshot, userId: string): boolean {
  const step = snapshot.steps[snapshot.currentStep];
  return snapshot.phase === "running" && !!step && step.speaker === learnerRole(snapshot, userId);
}
