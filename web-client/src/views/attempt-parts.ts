/** Pieces of an attempt shown to learners and tutors alike: the coloured line, the scores, the status. */
import { alignSyllables, type LineToken } from "../hangul.ts";
import { t, type MessageKey } from "../i18n.ts";
import type { AttemptSnapshot } from "../session/snapshot.ts";
import { h } from "./dom.ts";
import { bandWithin, resultLook, syllableTone, type Band } from "./lesson/result-rule.ts";

const STATUS_KEYS: Record<string, MessageKey> = {
  recording: "statusRecording",
  evaluating: "statusEvaluating",
  scored: "statusScored",
  failed: "statusFailed",
  "awaiting-tutor": "statusAwaitingTutor",
};

export function statusLabel(status: string): string {
  return STATUS_KEYS[status] ? t(STATUS_KEYS[status]) : status;
}

/** What a syllable's verdict means in words, for the tooltip and screen readers. */
export function describeToken(token: LineToken): string {
  if (token.verdict === "correct") return t("correctSyllable");
  if (token.verdict === "omitted") return t("missing");
  if (token.verdict === "inserted") return t("extra");
  const parts = [t("heardSyllable", { heard: token.heard || "?" })];
  for (const change of token.jamo) parts.push(t("heardAs", { expected: change.expected, heard: change.heard || "∅" }));
  return parts.join(" · ");
}

/** The target line, each Hangul syllable coloured by its verdict; problems can be focused to read what was heard. */
export function syllableLine(
  line: string,
  attempt: AttemptSnapshot,
  size: "large" | "small" = "large",
  tone: (syllable: { verdict: string; jamo: string }) => string = syllableTone,
): HTMLElement {
  const tokens = alignSyllables(line, attempt.syllables);
  const problems = tokens.filter((token) => token.verdict && token.verdict !== "correct");
  const container = h("p", { class: `syllables syllables--${size}`, attrs: { lang: "ko" } });
  // Syllables are boxes a line may break between; a word's boxes share one unbreakable span.
  let word: HTMLElement | null = null;
  const wordFor = () => (word ??= container.appendChild(h("span", { class: "syl-word" })));
  for (const token of tokens) {
    if (!token.verdict) {
      if (/\s/.test(token.text)) {
        word = null;
        container.append(h("span", { class: "syl syl--plain", text: token.text }));
      } else {
        wordFor().append(h("span", { class: "syl syl--plain", text: token.text }));
      }
      continue;
    }
    const description = describeToken(token);
    const problem = token.verdict !== "correct";
    const shade = tone({ verdict: token.verdict, jamo: token.jamo.map((change) => `${change.expected}>${change.heard}`).join(",") });
    wordFor().append(h("span", {
      class: `syl syl--${token.verdict} syl--tone-${shade}`,
      // No aria-label: a plain span may not carry one (axe: aria-prohibited-attr); the syllable is
      // read as text and the problems once more in the visually hidden summary below.
      attrs: { tabindex: problem && size === "large" ? 0 : null, "data-verdict": token.verdict, "data-tone": shade },
      title: size === "small" ? `${token.text}: ${description}` : undefined,
    },
    h("span", { class: "syl__char", text: token.text }),
    problem && size === "large" ? h("span", { class: "syl__tip", attrs: { role: "tooltip", "aria-hidden": "true" }, text: description }) : null));
  }
  if (problems.length > 0 && size === "large") {
    container.append(h("span", { class: "visually-hidden", text: problems.map((token) => `${token.text}: ${describeToken(token)}`).join("; ") }));
  }
  return container;
}

/**
 * The scores, coloured by the one result rule (result-rule.ts): the overall score is green only
 * when the attempt passes, and no bar is greener than the result.
 */
export function scoreList(attempt: AttemptSnapshot): HTMLElement | null {
  const look = resultLook(attempt);
  const band = (score: number, overall: boolean): Band => (overall ? look.band : bandWithin(look, scoreBand(score)));
  if (attempt.status !== "scored" || attempt.overall < 0) return null;
  const rows: [MessageKey, number][] = [["accuracy", attempt.accuracy], ["completeness", attempt.completeness]];
  if (attempt.fluency >= 0) rows.push(["fluency", attempt.fluency]);
  return h("div", { class: "scores" },
    h("div", { class: `score-ring ${band(attempt.overall, true)}`, attrs: { style: `--score:${attempt.overall}` } },
      h("span", { class: "score-ring__value", text: String(attempt.overall) }),
      h("span", { class: "score-ring__label", text: t("overall") })),
    h("dl", { class: "score-bars" }, rows.filter(([, value]) => value >= 0).map(([key, value]) => h("div", { class: "score-bar", dataset: { score: key } },
      h("dt", { text: t(key) }),
      h("dd", {},
        h("span", { class: "score-bar__track", attrs: { "aria-hidden": "true" } }, h("span", { class: `score-bar__fill ${band(value, false)}`, attrs: { style: `width:${value}%` } })),
        h("span", { class: "score-bar__value", text: String(value) }))))));
}

export function scoreBand(score: number): Band {
  return score >= 85 ? "band-good" : score >= 60 ? "band-fair" : "band-poor";
}

export function statusBadge(attempt: AttemptSnapshot): HTMLElement {
  const busy = attempt.status === "recording" || attempt.status === "evaluating";
  return h("span", { class: `badge badge--${attempt.status}${busy ? " badge--busy" : ""}`, dataset: { status: attempt.status } }, statusLabel(attempt.status));
}
