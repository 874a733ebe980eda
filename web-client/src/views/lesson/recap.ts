/**
 * The end-of-lesson recap: how many of their lines the learner said in this session (counted by
 * session/learner-lines.ts, as everywhere else), the syllables they said best and worst across every
 * attempt, and the jamo the scorer heard as something else (what to practise).
 */
import { jamoShown, parseJamo } from "../../hangul.ts";
import { t } from "../../i18n.ts";
import { linesSaid } from "../../session/learner-lines.ts";
import type { LessonSnapshot } from "../../session/snapshot.ts";
import { h } from "../dom.ts";

export interface Recap {
  said: number;
  total: number;
  best: string[];
  weakest: string[];
  confusions: { expected: string; heard: string; count: number }[];
}

const SHOWN = 5;

export function recapOf(snapshot: LessonSnapshot, userId: string): Recap {
  const tally = new Map<string, { right: number; wrong: number }>();
  const confusions = new Map<string, { expected: string; heard: string; count: number }>();
  for (const attempt of snapshot.attempts) {
    if (attempt.learnerId !== userId) continue;
    for (const syllable of attempt.syllables) {
      if (!syllable.target) continue;
      const entry = tally.get(syllable.target) ?? { right: 0, wrong: 0 };
      if (syllable.verdict === "correct") entry.right++;
      else entry.wrong++;
      tally.set(syllable.target, entry);
      // A final heard where none is wanted (∅ heard as ㅁ) is no sound to practise: only wanted jamo count.
      for (const change of parseJamo(syllable.jamo).filter((pair) => pair.expected && pair.expected !== pair.heard)) {
        const key = `${change.expected}>${change.heard}`;
        const confusion = confusions.get(key) ?? { ...change, count: 0 };
        confusion.count++;
        confusions.set(key, confusion);
      }
    }
  }
  const entries = [...tally];
  const lines = linesSaid(snapshot, userId);
  return {
    said: lines.done,
    total: lines.total,
    best: entries.filter(([, e]) => e.wrong === 0).sort((a, b) => b[1].right - a[1].right).slice(0, SHOWN).map(([syllable]) => syllable),
    weakest: entries.filter(([, e]) => e.wrong > 0).sort((a, b) => b[1].wrong - a[1].wrong || a[1].right - b[1].right).slice(0, SHOWN).map(([syllable]) => syllable),
    confusions: [...confusions.values()].sort((a, b) => b.count - a.count).slice(0, SHOWN),
  };
}

export function renderRecap(recap: Recap): HTMLElement {
  const chips = (syllables: string[], kind: string) => h("p", { class: "recap__syllables", attrs: { lang: "ko" } },
    syllables.map((syllable) => h("span", { class: `recap-chip recap-chip--${kind}`, text: syllable })));
  return h("section", { class: "recap", attrs: { "aria-labelledby": "recap-heading" }, dataset: { said: recap.said, total: recap.total } },
    h("h3", { id: "recap-heading", text: t("recapTitle") }),
    h("p", { class: "recap__lines", text: t("recapLines", { said: recap.said, total: recap.total }) }),
    recap.best.length ? h("div", {}, h("h4", { text: t("recapBest") }), chips(recap.best, "best")) : null,
    recap.weakest.length ? h("div", {}, h("h4", { text: t("recapWeakest") }), chips(recap.weakest, "weak")) : null,
    recap.confusions.length
      ? h("div", { class: "recap__confusions" }, h("h4", { text: t("recapConfusions") }),
        h("ul", {}, recap.confusions.map((c) => h("li", { attrs: { lang: "ko" }, text: t("confusionTimes", { expected: jamoShown(c.expected), heard: jamoShown(c.heard), count: c.count }) }))))
      : h("p", { class: "hint-text", text: t("recapNothing") }));
}
