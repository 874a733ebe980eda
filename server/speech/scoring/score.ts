/**
 * The score of record for a spoken or typed attempt: the target and what was heard are both
 * turned into sound (every pronunciation the standard allows for the target), aligned syllable by
 * syllable, and judged per syllable. Formulas in docs/scoring.md.
 */
import { KotoError } from "../../errors.ts";
import { resolveNameSlot } from "../../content/name-slot.ts";
import { alignSyllables, alignWithLattice, type AlignmentStep } from "./alignment.ts";
import { fluencyScore } from "./fluency.ts";
import { splitSyllable } from "./hangul.ts";
import { normalizedReadings, normalizeKorean } from "./normalize.ts";
import { hangulWords, pronounceWords, pronunciationLattice, type SyllableSounds } from "./pronunciation.ts";
import { syllableDistance } from "./similarity.ts";
import type { JamoDifference, ScoreResult, SyllableVerdict, UtteranceTiming } from "./types.ts";

export const SCORE_WEIGHTS = { accuracy: 0.6, completeness: 0.25, fluency: 0.15 } as const;
/** A substituted syllable keeps 1 - SUBSTITUTION_SEVERITY x distance of its accuracy credit. */
export const SUBSTITUTION_SEVERITY = 2;
/**
 * A substituted syllable this close to the target was "nearly right": one letter off within its
 * series (ㄱ/ㅋ/ㄲ, ㅓ/ㅗ) or one final changed. Only correct and nearly-right syllables count as said,
 * for completeness.
 */
export const NEARLY_RIGHT_DISTANCE = 0.25;
/**
 * Every flagged syllable (substituted, omitted or inserted) lowers the highest score the line can
 * get by this much, whatever its length: one flagged syllable caps it at 90, two at 80.
 */
export const FLAGGED_SYLLABLE_COST = 10;
/**
 * Input caps, enforced here so that no caller can make scoring unbounded: alignment costs
 * target x heard. A lesson line is far shorter than the target cap; 30 s of speech (the longest
 * utterance) is at most about 250 syllables even at a native's fastest.
 */
export const SCORING_LIMITS = { targetSyllables: 200, heardSyllables: 400, characters: 4000 } as const;
/** Ways to read the numbers in a transcript (3시: 삼시, 세시) tried at most. */
const MAX_HEARD_READINGS = 4;
/**
 * Pronunciations of the transcript tried against the target. The transcript is what was heard, so
 * it is said only by its standard pronunciation, except at word boundaries, where speech really
 * varies: a pause or not (육 분 said [육뿐] or [육 분]). Never the target's optional variants: those
 * would turn a lax consonant the learner said into the tense one the target wants.
 */
const MAX_HEARD_PRONUNCIATIONS = 4;
/**
 * Alignments of the transcript (readings x pronunciations) cost target x heard cells each; for
 * long inputs fewer of them are tried, so that the worst case at the caps stays a few alignments
 * (two at 200 x 400) while a lesson line still gets all sixteen.
 */
const ALIGNMENT_CELL_BUDGET = 160_000;
const TARGET_CACHE_SIZE = 256;

interface Target {
  written: string[];
  /** Every allowed pronunciation, as a lattice of sounds per written syllable. */
  sounds: SyllableSounds[];
  wordStarts: Set<number>;
}

interface Comparison {
  cost: number;
  steps: AlignmentStep[];
  heardWritten: string[];
  targetSaid: string[];
  heardSaid: string[];
}

const targets = new Map<string, Target>();

/** Scores what was heard (a transcript or typed text) against the target. */
export function scoreUtterance(target: string, heard: string, timing?: UtteranceTiming): ScoreResult {
  const goal = targetOf(target);
  if (heard.length > SCORING_LIMITS.characters) {
    throw new KotoError("ANSWER_TOO_LONG", `what was said or typed is longer than ${SCORING_LIMITS.characters} characters; answer with the line only`);
  }
  let best: Comparison | undefined;
  let alignmentsLeft: number | undefined;
  for (const reading of normalizedReadings(heard, MAX_HEARD_READINGS)) {
    const heardWritten = hangulWords(reading).flat();
    if (heardWritten.length > SCORING_LIMITS.heardSyllables) {
      throw new KotoError("ANSWER_TOO_LONG", `what was said or typed has more than ${SCORING_LIMITS.heardSyllables} Korean syllables; answer with the line only`);
    }
    alignmentsLeft ??= Math.max(2, Math.floor(ALIGNMENT_CELL_BUDGET / (goal.written.length * Math.max(1, heardWritten.length))));
    if (alignmentsLeft <= 0) break;
    const comparison = compare(goal, heardWritten, Math.min(MAX_HEARD_PRONUNCIATIONS, alignmentsLeft));
    alignmentsLeft -= comparison.alignments;
    if (best === undefined || comparison.cost < best.cost) best = comparison;
    if (best.cost === 0) break;
  }
  // normalizedReadings always yields at least one reading.
  return judged(goal, best as Comparison, timing);
}

/**
 * Scores what was heard against every accepted answer and keeps the closest: an answer heard
 * correctly wins, then the highest overall score. Accepted answers without Hangul are skipped
 * (they cannot be scored by sound); only when none is left is that an error. One owner for
 * "which accepted answer counts", for typed and spoken attempts alike.
 */
export function scoreAgainstAccepted(
  accepted: readonly string[],
  heard: string,
  timing?: UtteranceTiming,
  /** The lesson's example name: a line with the learner's {name} is shown with it when no name can be told from what was said. */
  exampleName = "",
): { correct: boolean; answer: string; score: ScoreResult } {
  if (accepted.length === 0) {
    throw new KotoError("NO_ACCEPTED_ANSWERS", "this step lists no accepted answers to check the answer against");
  }
  let best: { answer: string; correct: boolean; score: ScoreResult } | undefined;
  let unscorable: KotoError | undefined;
  // A line with the learner's {name} is scored with the name they said in its place.
  for (const answer of accepted.map((candidate) => resolveNameSlot(candidate, heard, exampleName))) {
    let score: ScoreResult;
    try {
      score = scoreUtterance(answer, heard, timing);
    } catch (error) {
      if (error instanceof KotoError && (error.code === "EMPTY_TARGET" || error.code === "TARGET_TOO_LONG")) {
        unscorable ??= error;
        continue;
      }
      throw error;
    }
    const correct = everySyllableCorrect(score.syllables);
    if (best === undefined || (correct && !best.correct) || (correct === best.correct && score.overall > best.score.overall)) {
      best = { answer, correct, score };
    }
    if (correct) break;
  }
  if (best === undefined) throw unscorable as KotoError;
  return best;
}

/**
 * Every syllable of the target said right by sound: nothing substituted, missing or extra. This is
 * what makes an attempt `correct`; the pass rule built on it (with the tutor's grade) is
 * attemptPasses in server/attempts/attempt.ts.
 */
export function everySyllableCorrect(syllables: ReadonlyArray<{ verdict: string }> | undefined): boolean {
  return syllables !== undefined && syllables.length > 0 && syllables.every((syllable) => syllable.verdict === "correct");
}

/**
 * Checks a typed answer against every accepted answer. Correct when, against one of them,
 * every syllable is correct by sound and nothing is missing or extra; the score is against the
 * best-matching answer either way, and `matched` names it only when correct.
 */
export function checkTypedAnswer(
  accepted: string[],
  typed: string,
  exampleName = "",
): { correct: boolean; matched: string | null; score: ScoreResult } {
  const best = scoreAgainstAccepted(accepted, typed, undefined, exampleName);
  return { correct: best.correct, matched: best.correct ? best.answer : null, score: best.score };
}

function targetOf(text: string): Target {
  const cached = targets.get(text);
  if (cached) return cached;
  if (text.length > SCORING_LIMITS.characters) {
    throw new KotoError("TARGET_TOO_LONG", `a target line may have at most ${SCORING_LIMITS.characters} characters; split the line`);
  }
  const words = hangulWords(normalizeKorean(text));
  const written = words.flat();
  if (written.length === 0) {
    throw new KotoError("EMPTY_TARGET", "the target has no Korean (Hangul) syllables to score against");
  }
  if (written.length > SCORING_LIMITS.targetSyllables) {
    throw new KotoError("TARGET_TOO_LONG", `a target line may have at most ${SCORING_LIMITS.targetSyllables} Korean syllables; split the line`);
  }
  const wordStarts = new Set<number>();
  let start = 0;
  for (const word of words) {
    wordStarts.add(start);
    start += word.length;
  }
  const target: Target = { written, sounds: pronunciationLattice(words), wordStarts };
  if (targets.size >= TARGET_CACHE_SIZE) targets.delete(targets.keys().next().value as string);
  targets.set(text, target);
  return target;
}

function compare(goal: Target, heardWritten: string[], pronunciations: number): Comparison & { alignments: number } {
  let best: Comparison | undefined;
  let alignments = 0;
  for (const heardSaid of pronounceWords(spacedLikeTarget(goal, heardWritten), pronunciations, "heard")) {
    const alignment = alignWithLattice(goal.sounds, heardSaid);
    alignments++;
    if (best === undefined || alignment.cost < best.cost) {
      best = { cost: alignment.cost, steps: alignment.steps, heardWritten, targetSaid: alignment.said, heardSaid };
    }
    if (best.cost === 0) break;
  }
  return { ...(best as Comparison), alignments };
}

/**
 * The transcript's own spacing is not heard, so it is re-spaced like the target before the
 * pronunciation rules run: a heard syllable starts a word where its partner in the target does.
 */
function spacedLikeTarget(goal: Target, heardWritten: string[]): string[][] {
  const words: string[][] = [];
  let pendingBoundary = true;
  for (const step of alignSyllables(goal.written, heardWritten).steps) {
    if (step.kind !== "inserted" && goal.wordStarts.has(step.target)) pendingBoundary = true;
    if (step.kind === "omitted") continue;
    if (pendingBoundary || words.length === 0) {
      words.push([]);
      pendingBoundary = false;
    }
    words[words.length - 1].push(heardWritten[step.heard]);
  }
  return words;
}

function judged(goal: Target, comparison: Comparison, timing: UtteranceTiming | undefined): ScoreResult {
  const { steps, heardWritten, targetSaid, heardSaid } = comparison;
  const syllables: SyllableVerdict[] = [];
  let credit = 0;
  let nearlyRight = 0;
  let inserted = 0;
  let flagged = 0;
  for (const step of steps) {
    if (step.kind === "inserted") {
      inserted++;
      flagged++;
      syllables.push({ index: null, target: "", heard: heardWritten[step.heard], verdict: "inserted" });
    } else if (step.kind === "omitted") {
      flagged++;
      syllables.push({ index: step.target, target: goal.written[step.target], heard: "", verdict: "omitted", said: targetSaid[step.target] });
    } else {
      const expected = targetSaid[step.target];
      const said = heardSaid[step.heard];
      const verdict: SyllableVerdict = {
        index: step.target,
        target: goal.written[step.target],
        heard: heardWritten[step.heard],
        verdict: expected === said ? "correct" : "substituted",
        said: expected,
      };
      const distance = syllableDistance(expected, said);
      credit += Math.max(0, 1 - SUBSTITUTION_SEVERITY * distance);
      if (distance <= NEARLY_RIGHT_DISTANCE) nearlyRight++;
      if (expected !== said) {
        flagged++;
        verdict.heardSaid = said;
        verdict.jamo = jamoDifferences(expected, said);
      }
      syllables.push(verdict);
    }
  }
  const accuracy = (100 * credit) / (goal.written.length + inserted);
  const completeness = (100 * nearlyRight) / goal.written.length;
  const fluency = timing === undefined ? null : fluencyScore(heardWritten.length, timing);
  return {
    overall: overallScore({ accuracy, completeness, fluency, flagged }),
    accuracy: Math.round(accuracy),
    completeness: Math.round(completeness),
    fluency,
    syllables,
  };
}

/**
 * The weighted score, capped by the flagged syllables (docs/scoring.md, "Scores"). Each input can
 * only lower it: more errors never score higher.
 */
export function overallScore(parts: { accuracy: number; completeness: number; fluency: number | null; flagged: number }): number {
  const { accuracy, completeness, fluency, flagged } = parts;
  const weighted =
    fluency === null
      ? (SCORE_WEIGHTS.accuracy * accuracy + SCORE_WEIGHTS.completeness * completeness) /
        (SCORE_WEIGHTS.accuracy + SCORE_WEIGHTS.completeness)
      : SCORE_WEIGHTS.accuracy * accuracy + SCORE_WEIGHTS.completeness * completeness + SCORE_WEIGHTS.fluency * fluency;
  const ceiling = 100 - FLAGGED_SYLLABLE_COST * flagged;
  return Math.max(0, Math.round(Math.min(weighted, ceiling)));
}

/** The letters that differ between two pronounced syllables, onset, vowel, then final. */
export function jamoDifferences(expected: string, heard: string): JamoDifference[] {
  const a = splitSyllable(expected);
  const b = splitSyllable(heard);
  const differences: JamoDifference[] = [];
  if (a.onset !== b.onset) differences.push({ expected: a.onset, heard: b.onset });
  if (a.vowel !== b.vowel) differences.push({ expected: a.vowel, heard: b.vowel });
  if (a.coda !== b.coda) differences.push({ expected: a.coda, heard: b.coda });
  return differences;
}

