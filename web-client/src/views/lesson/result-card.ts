/**
 * The learner's latest answer, as it is evaluated: listening → checking → the line with every
 * syllable coloured, the scores, the tip, and what to do next (replay, retry, go on).
 */
import { t } from "../../i18n.ts";
import type { AttemptSnapshot, LessonSnapshot } from "../../session/snapshot.ts";
import { headlineScore, scoreList, scoreRing, showsHeardLine, statusBadge, syllableLine } from "../attempt-parts.ts";
import { h, setChildren, type Child } from "../dom.ts";
import { icon } from "../icons.ts";
import { resultLook, verdictDetails } from "./result-rule.ts";
import { failureText } from "../../error-text.ts";

export interface ResultActions {
  replay(attempt: AttemptSnapshot): Promise<HTMLAudioElement | null>;
  retry(attempt: AttemptSnapshot): void;
  goOn(attempt: AttemptSnapshot, stillCurrent: boolean): void;
}

export class ResultCard {
  readonly element = h("section", { class: "result-card", hidden: true, attrs: { "aria-live": "polite", "aria-labelledby": "result-heading" } });
  private version = "";
  private dismissed: string | null = null;
  private readonly players = new Map<string, HTMLAudioElement>();

  constructor(private readonly actions: ResultActions) {}

  update(snapshot: LessonSnapshot, attempt: AttemptSnapshot | undefined): void {
    const stillCurrent = !!attempt && snapshot.phase === "running" && snapshot.currentStep === attempt.step;
    const version = JSON.stringify([attempt, stillCurrent, this.dismissed]);
    if (version === this.version) return;
    this.version = version;
    if (!attempt || this.dismissed === attempt.id) {
      this.element.hidden = true;
      return;
    }
    this.element.hidden = false;
    this.element.dataset.attemptId = attempt.id;
    this.element.dataset.status = attempt.status;
    const line = snapshot.steps[attempt.step]?.korean ?? "";
    const settled = attempt.status === "scored" || attempt.status === "failed" || attempt.status === "awaiting-tutor";
    const unscored = attempt.status === "failed" || (attempt.status === "awaiting-tutor" && attempt.tutorScore < 0);
    const look = resultLook(attempt);
    this.element.dataset.passed = String(look.passed);
    const details = attempt.status === "scored" ? verdictDetails(line, attempt.syllables) : [];
    // What the automatic check found: the whole card until a tutor grades the answer, then a
    // detail under the tutor's grade (open only when the grade did not pass: it says what to change).
    const automatic: Child[] = [
      attempt.status === "scored" || attempt.status === "awaiting-tutor" ? syllableLine(line, attempt, "large") : null,
      details.length > 0 ? h("div", { class: "result-card__details" },
        h("h3", { class: "result-card__details-title", text: t("detailsTitle") }),
        h("ul", {}, details.map((detail) => h("li", { text: detail })))) : null,
      attempt.text && settled && !showsHeardLine(line, attempt) ? h("p", { class: "result-card__heard" },
        attempt.kind === "typed" ? t("youTyped", { text: attempt.text }) : t("youSaid", { text: attempt.text })) : null,
    ];
    const graded = headlineScore(attempt)?.by === "tutor";
    const tutorGrade = graded ? h("p", { class: "result-card__tutor", dataset: { tutorScore: attempt.tutorScore } },
      h("strong", { text: t("tutorGrade", { score: attempt.tutorScore }) }),
      attempt.tutorComment ? ` — ${attempt.tutorComment}` : "") : null;
    setChildren(this.element,
      h("header", { class: "result-card__header" },
        h("h2", { id: "result-heading", class: "result-card__title", text: t(look.title) }),
        statusBadge(attempt)),
      !settled ? h("div", { class: "result-card__pending" }, h("span", { class: "spinner", attrs: { "aria-hidden": "true" } }),
        h("p", { class: "result-card__line", attrs: { lang: "ko" }, text: line })) : null,
      graded ? [
        h("div", { class: "scores scores--tutor" }, scoreRing(attempt.tutorScore, look.band, t("tutorGradeLabel")), tutorGrade),
        h("p", { class: "result-card__line", attrs: { lang: "ko" }, text: line }),
        h("details", { class: "result-card__automatic", open: !look.passed },
          h("summary", { text: t("automaticCheck") }),
          automatic,
          scoreList(attempt, { ring: false }),
          attempt.feedback ? h("p", { class: "result-card__tip" }, icon("bulb", "icon tip-icon"), attempt.feedback) : null),
      ] : [
        automatic,
        scoreList(attempt),
        attempt.feedback ? h("p", { class: "result-card__tip" }, icon("bulb", "icon tip-icon"), attempt.feedback) : null,
      ],
      // Why it was not scored: a failure, or why a tutor grades it (automatic scoring off: STT_DISABLED).
      unscored && failureText(attempt) ? h("p", { class: `result-card__failure result-card__failure--${attempt.status}`, text: failureText(attempt) }) : null,
      settled ? this.actionRow(attempt, stillCurrent, look.passed) : null,
      this.players.get(attempt.id) ?? null);
  }

  private actionRow(attempt: AttemptSnapshot, stillCurrent: boolean, passed: boolean): HTMLElement {
    const replay: HTMLButtonElement = h("button", {
      type: "button", class: "button", dataset: { action: "replay" }, hidden: attempt.kind !== "spoken",
      on: {
        click: async () => {
          replay.disabled = true;
          const audio = this.players.get(attempt.id) ?? (await this.actions.replay(attempt));
          replay.disabled = false;
          if (!audio) return;
          if (!this.players.has(attempt.id)) {
            this.players.set(attempt.id, audio);
            this.element.append(audio);
          }
          audio.currentTime = 0;
          void audio.play().catch(() => {});
        },
      },
    }, icon("replay"), t("replay"));
    return h("div", { class: "result-card__actions" },
      replay,
      stillCurrent && !passed ? h("button", { type: "button", class: "button", text: t("retry"), dataset: { action: "retry" }, on: { click: () => this.actions.retry(attempt) } }) : null,
      h("button", {
        type: "button", class: "button button--primary", text: t("goOn"), dataset: { action: "go-on" },
        on: {
          click: () => {
            if (!stillCurrent) {
              this.dismissed = attempt.id;
              this.element.hidden = true;
            }
            this.actions.goOn(attempt, stillCurrent);
          },
        },
      }));
  }

  dispose(): void {
    for (const audio of this.players.values()) {
      audio.pause();
      URL.revokeObjectURL(audio.src);
    }
    this.players.clear();
  }
}
