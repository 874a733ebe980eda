/**
 * The score of record for a spoken or typed attempt: the target and what was heard are both
 * turned into sound (every pronunciation the standard allows for the target), aligned syllable by
 * syllable, and judged per syllable. Formulas in docs/scoring.md.
 */
import { KotoError } from "../../errors.ts";
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
/** A substituted syllable this close to the target still counts as said, for completeness. */
export const RECOGNISABLE_DISTANCE = 0.5;
/** Ways to read the numbers in a transcript (3시: 삼시, 세시) tried at most. */
const MAX_HEARD_READINGS = 4;
/**
 * Pronunciations of the transcript tried against the target: its standard one, then those
 * departing from it at one seam or vowel (육 분 said with or without a pause: [육뿐], [육분]).
 */
const MAX_HEARD_PRONUNCIATIONS = 4;
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
  let best: Comparison | undefined;
  for (const reading of normalizedReadings(heard, MAX_HEARD_READINGS)) {
    const comparison = compare(goal, hangulWords(reading).flat());
    if (best === undefined || comparison.cost < best.cost) best = comparison;
    if (best.cost === 0) break;
  }
  // normalizedReadings always yields at least one reading.
  return judged(goal, best as Comparison, timing);
}

/**
 * Checks a typed answer against every accepted answer. Correct when, against one of them,
 * every syllable is correct by sound and nothing is missing or extra; the score is against the
 * best-matching answer either way, and `matched` names it only when correct.
 */
export function checkTypedAnswer(
  accepted: string[],
  typed: string,
): { correct: boolean; matched: string | null; score: ScoreResult } {
  if (accepted.length === 0) {
    throw new KotoError("NO_ACCEPTED_ANSWERS", "this step lists no accepted answers to check the typed answer against");
  }
  let best: { answer: string; correct: boolean; score: ScoreResult } | undefined;
  for (const answer of accepted) {
    const score = scoreUtterance(answer, typed);
    const correct = score.syllables.every((syllable) => syllable.verdict === "correct");
    if (best === undefined || (correct && !best.correct) || (correct === best.correct && score.overall > best.score.overall)) {
      best = { answer, correct, score };
    }
    if (correct) break;
  }
  const chosen = best as { answer: string; correct: boolean; score: ScoreResult };
  return { correct: chosen.correct, matched: chosen.correct ? chosen.answer : null, score: chosen.score };
}

function targetOf(text: string): Target {
  const cached = targets.get(text);
  if (cached) return cached;
  const words = hangulWords(normalizeKorean(text));
  const written = words.flat();
  if (written.length === 0) {
    throw new KotoError("EMPTY_TARGET", "the target has no Korean (Hangul) syllables to score against");
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

function compare(goal: Target, heardWritten: string[]): Comparison {
  let best: Comparison | undefined;
  for (const heardSaid of pronounceWords(spacedLikeTarget(goal, heardWritten), MAX_HEARD_PRONUNCIATIONS)) {
    const alignment = alignWithLattice(goal.sounds, heardSaid);
    if (best === undefined || alignment.cost < best.cost) {
      best = { cost: alignment.cost, steps: alignment.steps, heardWritten, targetSaid: alignment.said, heardSaid };
    }
    if (best.cost === 0) break;
  }
  return best as Comparison;
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
  let recognised = 0;
  let inserted = 0;
  for (const step of steps) {
    if (step.kind === "inserted") {
      inserted++;
      syllables.push({ index: null, target: "", heard: heardWritten[step.heard], verdict: "inserted" });
    } else if (step.kind === "omitted") {
      syllables.push({ index: step.target, target: goal.written[step.target], heard: "", verdict: "omitted" });
    } else {
      const expected = targetSaid[step.target];
      const said = heardSaid[step.heard];
      const verdict: SyllableVerdict = {
        index: step.target,
        target: goal.written[step.target],
        heard: heardWritten[step.heard],
        verdict: expected === said ? "correct" : "substituted",
      };
      const distance = syllableDistance(expected, said);
      credit += Math.max(0, 1 - SUBSTITUTION_SEVERITY * distance);
      if (distance <= RECOGNISABLE_DISTANCE) recognised++;
      if (expected !== said) verdict.jamo = jamoDifferences(expected, said);
      syllables.push(verdict);
    }
  }
  const accuracy = (100 * credit) / (goal.written.length + inserted);
  const completeness = (100 * recognised) / goal.written.length;
  const fluency = timing === undefined ? null : fluencyScore(heardWritten.length, timing);
  const overall =
    fluency === null
      ? (SCORE_WEIGHTS.accuracy * accuracy + SCORE_WEIGHTS.completeness * completeness) /
        (SCORE_WEIGHTS.accuracy + SCORE_WEIGHTS.completeness)
      : SCORE_WEIGHTS.accuracy * accuracy + SCORE_WEIGHTS.completeness * completeness + SCORE_WEIGHTS.fluency * fluency;
  return {
    overall: Math.round(overall),
    accuracy: Math.round(accuracy),
    completeness: Math.round(completeness),
    fluency,
    syllables,
  };
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

