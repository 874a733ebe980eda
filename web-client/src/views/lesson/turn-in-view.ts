/**
 * On a phone the conversation grows above the turn panel: when a new turn starts or a result
 * arrives, scroll so the prompt and the microphone are on screen (the result card sits just above).
 */
import type { LessonSnapshot } from "../../session/snapshot.ts";

const lastShown = new WeakMap<HTMLElement, string>();

export function keepTurnInView(page: HTMLElement, snapshot: LessonSnapshot, userId: string): void {
  if (snapshot.phase !== "running") return;
  const mine = snapshot.attempts.filter((attempt) => attempt.learnerId === userId);
  const latest = mine[mine.length - 1];
  const moment = `${snapshot.currentStep}:${mine.length}:${latest?.status ?? ""}`;
  if (lastShown.get(page) === moment) return;
  lastShown.set(page, moment);
  const turn = page.querySelector<HTMLElement>(".turn:not([hidden])");
  if (!turn) return;
  // After layout: the views have just been updated in this same task.
  requestAnimationFrame(() => turn.scrollIntoView({ block: "end" }));
}
