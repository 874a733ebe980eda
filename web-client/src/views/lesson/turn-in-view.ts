/**
 * The conversation grows above the turn panel: when a new turn starts or a result arrives, scroll
 * so the prompt and the microphone are on screen with the result card just above them.
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
  if (!page.querySelector(".turn:not([hidden])")) return;
  // After layout (the views were updated in this same task): scroll to the end, where the newest
  // line and result sit right above the turn. On phones the turn is pinned to the bottom edge, so
  // scrolling the turn itself into view would do nothing.
  requestAnimationFrame(() => {
    const scroller = document.scrollingElement ?? document.documentElement;
    scroller.scrollTop = scroller.scrollHeight;
  });
}
