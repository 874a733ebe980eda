/** The conversation as chat bubbles: the partner's lines on the left, the learner's on the right. */
import { t } from "../../i18n.ts";
import type { ConversationItem } from "../../session/conversation.ts";
import type { AttemptSnapshot, StepSnapshot } from "../../session/snapshot.ts";
import { syllableLine } from "../attempt-parts.ts";
import { resultLook } from "./result-rule.ts";
import { h, reconcile, type KeyedItem } from "../dom.ts";
import { icon } from "../icons.ts";

export interface ChatActions {
  play(step: StepSnapshot): void;
}

export class ChatView {
  readonly element = h("ol", { class: "chat", attrs: { "aria-label": t("conversation") } });

  constructor(private readonly actions: ChatActions) {}

  update(items: readonly ConversationItem[], playingIndex: number | null): void {
    const keyed: KeyedItem[] = [];
    for (const item of items) {
      if (item.kind === "prompt") continue;
      const playing = item.step.index === playingIndex;
      keyed.push({
        key: `${item.kind}-${item.step.index}`,
        version: JSON.stringify([item, playing]),
        render: () => this.renderItem(item, playing),
      });
    }
    reconcile(this.element, keyed);
  }

  private renderItem(item: ConversationItem, playing: boolean): HTMLElement {
    switch (item.kind) {
      case "partner":
        return h("li", { class: `bubble bubble--partner${playing ? " bubble--playing" : ""}`, dataset: { step: item.step.index } },
          h("span", { class: "bubble__speaker", text: item.speakerName }),
          lineText(item.step),
          h("button", {
            type: "button", class: "icon-button bubble__play", attrs: { "aria-label": `${t("playLine")}: ${item.step.korean}` },
            on: { click: () => this.actions.play(item.step) },
          }, icon("speaker")));
      case "own": {
        const settled = item.attempts.filter((attempt) => attempt.status === "scored" || attempt.status === "awaiting-tutor");
        // The answer that passed (a tutor's grade passes one the scorer did not), else the latest.
        const shown = settled.find((attempt) => resultLook(attempt).passed) ?? settled[settled.length - 1];
        return h("li", { class: "bubble bubble--own", dataset: { step: item.step.index } },
          h("span", { class: "bubble__speaker", text: t("you") }),
          shown ? syllableLine(item.step.korean, shown, "small") : h("p", { class: "bubble__korean", attrs: { lang: "ko" }, text: item.step.korean }),
          h("p", { class: "romanization", text: item.step.romanization }),
          h("p", { class: "translation", text: item.step.translation }),
          shown ? attemptChip(shown) : h("span", { class: "tag", dataset: { done: item.doneEarlier ? "earlier" : "skipped" }, text: t(item.doneEarlier ? "doneEarlier" : "skipped") }));
      }
      case "waiting":
        return h("li", { class: "bubble bubble--partner bubble--waiting", dataset: { step: item.step.index } },
          h("span", { class: "bubble__speaker", text: item.speakerName }),
          h("p", { class: "typing-dots", attrs: { role: "img", "aria-label": t("partnerTurn", { name: item.speakerName }) } }, h("span"), h("span"), h("span")));
      default:
        return h("li");
    }
  }
}

function lineText(step: StepSnapshot): HTMLElement[] {
  return [
    h("p", { class: "bubble__korean", attrs: { lang: "ko" }, text: step.korean }),
    h("p", { class: "romanization", text: step.romanization }),
    h("p", { class: "translation", text: step.translation }),
  ];
}

function attemptChip(attempt: AttemptSnapshot): HTMLElement {
  const score = attempt.tutorScore >= 0 ? attempt.tutorScore : attempt.overall;
  return h("span", { class: `score-chip ${resultLook(attempt).band}`, text: attempt.tutorScore >= 0 ? t("tutorGrade", { score }) : String(score) });
}
