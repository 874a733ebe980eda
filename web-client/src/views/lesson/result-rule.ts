/**
 * One pure rule for how a result looks: the title, the score's colour and each syllable's colour
 * all follow from whether the attempt passes (the server's `passed` when the state carries it, else
 * the server's own pass rule, imported, not copied), so a "Not quite" can never sit over a green score. Also the verdict details in the learner's
 * language, with the standard pronunciation in brackets where spelling and sound differ.
 */
import { attemptPasses, DEFAULT_PASS_MARK } from "../../../../server/attempts/attempt.ts";
import { hangulWords, standardPronunciation } from "../../../../server/speech/scoring/pronunciation.ts";
import { normalizeKorean } from "../../../../server/speech/scoring/normalize.ts";
import { parseJamo, type JamoChange } from "../../hangul.ts";
import { t, type MessageKey } from "../../i18n.ts";

export type Band = "band-good" | "band-fair" | "band-poor";
export type Tone = "good" | "fair" | "poor";

/** Below this a failed attempt is shown as poor rather than fair. */
export const FAIR_FROM = 60;

export interface ResultEvidence {
  status: string;
  overall: number;
  tutorScore: number;
  correct: boolean;
  /** The server's verdict on the pass rule (with its configured pass mark), when the state carries it. */
  passed?: boolean;
  syllables: ReadonlyArray<{ verdict: string; jamo: string }>;
}

export interface ResultLook {
  passed: boolean;
  title: MessageKey;
  /** The colour of the overall score. */
  band: Band;
}

export function resultLook(attempt: ResultEvidence, passMark = DEFAULT_PASS_MARK): ResultLook {
  const passed = attempt.passed ??
    attemptPasses({ correct: attempt.correct, tutorScore: attempt.tutorScore >= 0 ? attempt.tutorScore : null }, passMark);
  const score = attempt.tutorScore >= 0 ? attempt.tutorScore : attempt.overall;
  const band: Band = passed ? "band-good" : score >= FAIR_FROM ? "band-fair" : "band-poor";
  return { passed, title: titleFor(attempt.status, passed, attempt.tutorScore >= 0), band };
}

/**
 * The card's title says what happened and what comes next; the badge beside it (attempt-parts.ts
 * statusLabel) names the status in a word or two, so the two never read the same.
 */
function titleFor(status: string, passed: boolean, graded: boolean): MessageKey {
  if (passed && (status === "scored" || graded)) return "wellDone";
  if (status === "scored" || graded) return "notQuite";
  if (status === "recording") return "titleRecording";
  if (status === "evaluating") return "titleEvaluating";
  if (status === "awaiting-tutor") return "titleAwaitingTutor";
  return "titleFailed";
}

/**
 * A syllable's colour: right is good; one letter off (ㅓ for ㅗ, ㄱ for ㄲ, a final dropped) is
 * fair; anything more, a missing or an extra syllable, is poor.
 */
export function syllableTone(syllable: { verdict: string; jamo: string }): Tone {
  if (syllable.verdict === "correct") return "good";
  if (syllable.verdict === "substituted" && parseJamo(syllable.jamo).length <= 1) return "fair";
  return "poor";
}

/** A band never greener than the result: a bar of 95 under "Not quite" is fair, not good. */
export function bandWithin(look: ResultLook, band: Band): Band {
  return !look.passed && band === "band-good" ? "band-fair" : band;
}

const SERIES: ReadonlyArray<Readonly<Record<string, "plain" | "tense" | "aspirated">>> = [
  { ㄱ: "plain", ㄲ: "tense", ㅋ: "aspirated" },
  { ㄷ: "plain", ㄸ: "tense", ㅌ: "aspirated" },
  { ㅂ: "plain", ㅃ: "tense", ㅍ: "aspirated" },
  { ㅈ: "plain", ㅉ: "tense", ㅊ: "aspirated" },
  { ㅅ: "plain", ㅆ: "tense" },
];
const KIND_KEYS = { plain: "consonantPlain", tense: "consonantTense", aspirated: "consonantAspirated" } as const;

/** What to change for one letter, in the learner's language. */
export function describeChange(change: JamoChange): string {
  if (change.heard === "") return t("changeFinalMissing", { expected: change.expected });
  if (change.expected === "") return t("changeFinalExtra", { heard: change.heard });
  const series = SERIES.find((kinds) => kinds[change.expected] && kinds[change.heard]);
  if (series) {
    return t("changeSeries", {
      expected: change.expected, heard: change.heard,
      expectedKind: t(KIND_KEYS[series[change.expected]]), heardKind: t(KIND_KEYS[series[change.heard]]),
    });
  }
  return t("changeSay", { expected: change.expected, heard: change.heard });
}

export interface DetailSyllable {
  index: number;
  target: string;
  heard: string;
  verdict: string;
  jamo: string;
}

/**
 * One sentence per flagged syllable: where it is (the word, with its standard pronunciation in
 * brackets when it differs from the spelling: 같이 [가치]), what was heard and what to change.
 */
export function verdictDetails(line: string, syllables: readonly DetailSyllable[]): string[] {
  const words = wordsOf(line);
  const fits = syllables.every((syllable) => syllable.index < 0 || words.syllables[syllable.index] === syllable.target);
  const where = (syllable: DetailSyllable) => (fits && syllable.index >= 0 ? words.shown[words.wordOf[syllable.index]] : syllable.target);
  const details: string[] = [];
  for (const syllable of syllables) {
    if (syllable.verdict === "substituted") {
      const changes = parseJamo(syllable.jamo).map(describeChange);
      details.push(t("detailHeard", { word: where(syllable), target: syllable.target, heard: syllable.heard }) +
        (changes.length > 0 ? ` ${changes.join("; ")}.` : ""));
    } else if (syllable.verdict === "omitted") {
      details.push(t("detailMissing", { word: where(syllable), target: syllable.target }));
    } else if (syllable.verdict === "inserted") {
      details.push(t("detailExtra", { heard: syllable.heard }));
    }
  }
  return details;
}

/** The line's Hangul words, each shown as written plus [its standard pronunciation] when that differs. */
function wordsOf(line: string): { syllables: string[]; wordOf: number[]; shown: string[] } {
  const written = hangulWords(normalizeKorean(line));
  const said = standardPronunciation(line).split(" ");
  const syllables: string[] = [];
  const wordOf: number[] = [];
  const shown = written.map((word, index) => {
    for (const syllable of word) {
      syllables.push(syllable);
      wordOf.push(index);
    }
    const spelled = word.join("");
    return said[index] && said[index] !== spelled ? `${spelled} [${said[index]}]` : spelled;
  });
  return { syllables, wordOf, shown };
}
