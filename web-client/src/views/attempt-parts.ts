/** Pieces of an attempt shown to learners and tutors alike: the coloured line, the scores, the status. */
import { alignHeard, alignSyllables, jamoShown, verdictsFitLine, type LineToken } from "../hangul.ts";
import { language, t, type MessageKey } from "../i18n.ts";
import type { AttemptSnapshot } from "../session/snapshot.ts";
import { h } from "./dom.ts";
import { bandWithin, resultLook, syllableTone, type Band } from "./lesson/result-rule.ts";

/** Short status words for badges; the result card's title (result-rule.ts) says more, never the same. */
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

/**
 * What a syllable's verdict means in words, for the tooltip and screen readers: the other side of
 * what the box shows (on the line, what was heard; on what was heard, what the line wants), then
 * each letter that differs, a missing one written ∅.
 */
export function describeToken(token: LineToken): string {
  if (token.verdict === "correct") return t("correctSyllable");
  if (token.verdict === "omitted") return t("missing");
  if (token.verdict === "inserted") return t("extra");
  const parts = [token.shows === "heard"
    ? t("expectedSyllable", { target: token.target || "?" })
    : t("heardSyllable", { heard: token.heard || "?" })];
  for (const change of token.jamo) parts.push(t("heardAs", { expected: jamoShown(change.expected), heard: jamoShown(change.heard) }));
  return parts.join(" · ");
}

type ToneRule = (syllable: { verdict: string; jamo: string }) => string;

/**
 * The attempt over the line the learner was asked to say, each Hangul syllable coloured by its
 * verdict; problems can be focused to read what was heard. When the server scored it against
 * another accepted answer (or the lesson's example name), the verdicts do not fit the line: then
 * the line is shown as it should be said, with its spaces, and under it what was heard, marked.
 */
export function syllableLine(line: string, attempt: AttemptSnapshot, size: "large" | "small" = "large", tone: ToneRule = syllableTone): HTMLElement {
  if (verdictsFitLine(line, attempt.syllables)) return markedLine(alignSyllables(line, attempt.syllables), size, tone);
  const label = t(attempt.kind === "typed" ? "typedLabel" : "heardLabel");
  return h("div", { class: "syllables-compare", dataset: { shows: "heard" } },
    h("p", { class: `syllables syllables--${size} syllables--expected`, attrs: { lang: "ko" }, text: line }),
    markedLine(alignHeard(attempt.text, attempt.syllables), size, tone, label));
}

/** Whether syllableLine shows what was heard itself (then a plain "We heard: …" would say it twice). */
export function showsHeardLine(line: string, attempt: AttemptSnapshot): boolean {
  return !verdictsFitLine(line, attempt.syllables);
}

function markedLine(tokens: LineToken[], size: "large" | "small", tone: ToneRule, label?: string): HTMLElement {
  const problems = tokens.filter((token) => token.verdict && token.verdict !== "correct");
  const container = h("p", { class: `syllables syllables--${size}${label ? " syllables--heard" : ""}`, attrs: { lang: "ko" } },
    label ? [h("span", { class: "syllables__label", attrs: { lang: language() }, text: label }), " "] : null);
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
 * when the attempt passes, and no bar is greener than the result. With `ring: false` the overall
 * score is one more bar: the automatic check shown beneath a tutor's grade, which has the ring.
 */
export function scoreList(attempt: AttemptSnapshot, options: { ring?: boolean } = {}): HTMLElement | null {
  const look = resultLook(attempt);
  const ring = options.ring ?? true;
  if (attempt.status !== "scored" || attempt.overall < 0) return null;
  const rows: [MessageKey, number][] = [["accuracy", attempt.accuracy], ["completeness", attempt.completeness]];
  if (!ring) rows.unshift(["overall", attempt.overall]);
  if (attempt.fluency >= 0) rows.push(["fluency", attempt.fluency]);
  return h("div", { class: "scores" },
    ring ? scoreRing(attempt.overall, look.band, t("overall")) : null,
    h("dl", { class: "score-bars" }, rows.filter(([, value]) => value >= 0).map(([key, value]) => h("div", { class: "score-bar", dataset: { score: key } },
      h("dt", { text: t(key) }),
      h("dd", {},
        h("span", { class: "score-bar__track", attrs: { "aria-hidden": "true" } }, h("span", { class: `score-bar__fill ${bandWithin(look, scoreBand(value))}`, attrs: { style: `width:${value}%` } })),
        h("span", { class: "score-bar__value", text: String(value) }))))));
}

export interface Headline {
  score: number;
  label: MessageKey;
  /** Who gave the score: a tutor's grade, or the automatic check. */
  by: "tutor" | "automatic";
}

/**
 * The one score a result leads with. A tutor's grade decides the result (result-rule.ts), so once
 * there is one it is the headline and the automatic check only a detail: "Well done!" must never
 * sit over an automatic 0. null while there is no score yet.
 */
export function headlineScore(attempt: Pick<AttemptSnapshot, "status" | "overall" | "tutorScore">): Headline | null {
  if (attempt.tutorScore >= 0) return { score: attempt.tutorScore, label: "tutorGradeLabel", by: "tutor" };
  if (attempt.status === "scored" && attempt.overall >= 0) return { score: attempt.overall, label: "overall", by: "automatic" };
  return null;
}

export function scoreRing(score: number, band: Band, label: string): HTMLElement {
  return h("div", { class: `score-ring ${band}`, attrs: { style: `--score:${score}` } },
    h("span", { class: "score-ring__value", text: String(score) }),
    h("span", { class: "score-ring__label", text: label }));
}

export function scoreBand(score: number): Band {
  return score >= 85 ? "band-good" : score >= 60 ? "band-fair" : "band-poor";
}

export function statusBadge(attempt: AttemptSnapshot): HTMLElement {
  const busy = attempt.status === "recording" || attempt.status === "evaluating";
  return h("span", { class: `badge badge--${attempt.status}${busy ? " badge--busy" : ""}`, dataset: { status: attempt.status } }, statusLabel(attempt.status));
}
