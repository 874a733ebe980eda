/**
 * "You vs the model": after a spoken attempt, the learner's recording and the model line side by
 * side, one tap each, so they can hear the difference the colours point at.
 */
import { t } from "../../i18n.ts";
import type { AttemptSnapshot, LessonSnapshot } from "../../session/snapshot.ts";
import { h } from "../dom.ts";
import { icon } from "../icons.ts";

export interface ComparisonActions {
  /** The result card's own player for this attempt, when it already made one. */
  playYours(attempt: AttemptSnapshot): HTMLAudioElement | null;
  fetchYours(attempt: AttemptSnapshot): Promise<Blob>;
  playModel(stepIndex: number): void;
}

export class ModelComparison {
  readonly element = h("section", { class: "comparison", hidden: true, attrs: { "aria-labelledby": "comparison-heading" } });
  private attempt: AttemptSnapshot | null = null;
  private ownAudio: HTMLAudioElement | null = null;
  private shownFor = "";

  constructor(private readonly actions: ComparisonActions) {}

  update(attempt: AttemptSnapshot | undefined, snapshot: LessonSnapshot): void {
    const settled = attempt && attempt.kind === "spoken" && (attempt.status === "scored" || attempt.status === "awaiting-tutor");
    const step = attempt ? snapshot.steps[attempt.step] : undefined;
    this.element.hidden = !settled || !step || snapshot.phase === "finished";
    if (this.element.hidden || !attempt) return;
    if (this.shownFor === attempt.id) return;
    this.shownFor = attempt.id;
    this.attempt = attempt;
    this.disposeAudio();
    this.element.replaceChildren(
      h("h3", { id: "comparison-heading", class: "comparison__title", text: t("youVsModel") }),
      h("div", { class: "comparison__row" },
        h("button", { type: "button", class: "button", dataset: { action: "play-yours" }, on: { click: () => void this.playYours() } }, icon("play"), t("playYours")),
        h("button", { type: "button", class: "button", dataset: { action: "play-model" }, on: { click: () => this.actions.playModel(attempt.step) } }, icon("speaker"), t("playModel"))));
  }

  private async playYours(): Promise<void> {
    const attempt = this.attempt;
    if (!attempt) return;
    const existing = this.actions.playYours(attempt);
    if (existing) {
      existing.currentTime = 0;
      await existing.play().catch(() => {});
      return;
    }
    if (!this.ownAudio) {
      const blob = await this.actions.fetchYours(attempt).catch(() => null);
      if (!blob || this.attempt !== attempt) return;
      this.ownAudio = new Audio(URL.createObjectURL(blob));
    }
    this.ownAudio.currentTime = 0;
    await this.ownAudio.play().catch(() => {});
  }

  private disposeAudio(): void {
    if (!this.ownAudio) return;
    this.ownAudio.pause();
    URL.revokeObjectURL(this.ownAudio.src);
    this.ownAudio = null;
  }

  dispose(): void {
    this.disposeAudio();
  }
}
