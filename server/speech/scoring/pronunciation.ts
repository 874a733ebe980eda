/**
 * How written Korean is said: every pronunciation the standard rules allow for a text, the
 * standard one first. Rules never change the number of syllables, so pronounced syllable i is
 * always the sound of written syllable i.
 */
import { choicesByDeviation } from "./choices.ts";
import { isHangulSyllable, joinSyllable, splitSyllable } from "./hangul.ts";
import { startsWithDependentNoun, wordFacts } from "./lexicon.ts";
import { normalizeKorean } from "./normalize.ts";
import {
  acrossWordsBeforeVowel,
  beforeConsonant,
  carryOverAsWritten,
  compoundSeam,
  finalBeforePause,
  LETTER_NAMES,
  pauseBetween,
  vowelAfterOnset,
  vowelOptions,
  type Seam,
  type SyllableInContext,
} from "./pronunciation-rules.ts";

/** Enough for every single departure from the standard in a long line, and many pairs. */
export const MAX_PRONUNCIATIONS = 32;

/** The Hangul syllables of normalised text, word by word (anything else separates words). */
export function hangulWords(normalized: string): string[][] {
  return normalized
    .split(/[^\uAC00-\uD7A3]+/u)
    .filter((word) => word !== "")
    .map((word) => Array.from(word));
}

/**
 * The allowed pronunciations of a text, standard first, as Hangul with the text's word spacing:
 * pronunciationVariants("밥 먹어요") -> ["밤 머거요", "밥 머거요"]. At most `limit` of them.
 */
export function pronunciationVariants(text: string, limit = MAX_PRONUNCIATIONS): string[] {
  const words = hangulWords(normalizeKorean(text));
  return pronounceWords(words, limit).map((syllables) => {
    let offset = 0;
    return words
      .map((word) => {
        offset += word.length;
        return syllables.slice(offset - word.length, offset).join("");
      })
      .join(" ");
  });
}

/** The standard pronunciation: standardPronunciation("읽고") -> "일꼬". */
export function standardPronunciation(text: string): string {
  return pronunciationVariants(text, 1)[0] ?? "";
}

/**
 * What the rules leave open for a text: the options at each seam between syllables and the vowel
 * options of each syllable. Choices at different seams and vowels are independent of each other.
 */
interface SoundPlan {
  syllables: SyllableInContext[];
  /** seams[i]: the results allowed where syllable i meets syllable i + 1, standard first. */
  seams: Seam[][];
  vowels: string[][];
  lastCoda: string;
}

/**
 * Whose pronunciations: a target's are every form the standard allows; what was heard is said
 * by its standard pronunciation only, except that words may be joined or split by a pause.
 */
export type Speaker = "target" | "heard";

function planSounds(words: readonly (readonly string[])[], speaker: Speaker = "target"): SoundPlan {
  const syllables = inContext(words);
  const heard = speaker === "heard";
  return {
    syllables,
    seams: syllables.slice(1).map((right, index) => {
      const options = seamOptions(syllables[index], right);
      if (!heard) return options;
      if (!right.wordStart) return options.slice(0, 1);
      // With a pause, each word is said on its own: the final reduced, the next word as written.
      const paused = { coda: finalBeforePause(syllables[index].written.coda), onset: right.written.onset };
      return distinct([options[0], paused]);
    }),
    vowels: syllables.map((syllable, index) => {
      const options = vowelOptions(syllable, syllables[index - 1]);
      return heard ? options.slice(0, 1) : options;
    }),
    lastCoda: syllables.length === 0 ? "" : finalBeforePause(syllables[syllables.length - 1].written.coda),
  };
}

function soundOf(plan: SoundPlan, index: number, seamIn: number, vowel: number, seamOut: number): string {
  const { syllables, seams } = plan;
  const onset = index === 0 ? syllables[0].written.onset : seams[index - 1][seamIn].onset;
  const coda = index === syllables.length - 1 ? plan.lastCoda : seams[index][seamOut].coda;
  return joinSyllable({ onset, vowel: vowelAfterOnset(onset, plan.vowels[index][vowel]), coda });
}

/**
 * The allowed pronunciations of words given as written syllables, each as one array of
 * pronounced syllables (word spacing dropped; word boundaries only shaped the sounds), the ones
 * closest to the standard first, at most `limit`.
 */
export function pronounceWords(words: readonly (readonly string[])[], limit = MAX_PRONUNCIATIONS, speaker: Speaker = "target"): string[][] {
  const plan = planSounds(words, speaker);
  const count = plan.syllables.length;
  if (count === 0) return [[]];
  const counts = [...plan.seams.map((options) => options.length), ...plan.vowels.map((options) => options.length)];
  const seen = new Set<string>();
  const pronunciations: string[][] = [];
  for (const choice of choicesByDeviation(counts, limit * 2)) {
    const said = plan.syllables.map((_, index) =>
      soundOf(plan, index, choice[index - 1] ?? 0, choice[plan.seams.length + index], choice[index] ?? 0));
    const key = said.join("");
    if (seen.has(key)) continue;
    seen.add(key);
    pronunciations.push(said);
    if (pronunciations.length >= limit) break;
  }
  return pronunciations;
}

/**
 * One written syllable and every way it may be said, by the options taken at the seams on
 * either side of it: sounds[seamIn * seamOutOptions + seamOut] lists the sounds (one per vowel
 * option) when the seam before takes option seamIn and the seam after option seamOut.
 */
export interface SyllableSounds {
  written: string;
  seamInOptions: number;
  seamOutOptions: number;
  sounds: string[][];
}

/**
 * Every allowed pronunciation of a text at once, without listing them: a lattice that
 * alignment walks, so no cap on combinations is needed (see alignWithLattice).
 */
export function pronunciationLattice(words: readonly (readonly string[])[]): SyllableSounds[] {
  const plan = planSounds(words);
  return plan.syllables.map((syllable, index) => {
    const seamInOptions = index === 0 ? 1 : plan.seams[index - 1].length;
    const seamOutOptions = index === plan.syllables.length - 1 ? 1 : plan.seams[index].length;
    const sounds: string[][] = [];
    for (let seamIn = 0; seamIn < seamInOptions; seamIn++) {
      for (let seamOut = 0; seamOut < seamOutOptions; seamOut++) {
        const said = plan.vowels[index].map((_, vowel) => soundOf(plan, index, seamIn, vowel, seamOut));
        sounds.push([...new Set(said)]);
      }
    }
    return { written: syllable.text, seamInOptions, seamOutOptions, sounds };
  });
}

function inContext(words: readonly (readonly string[])[]): SyllableInContext[] {
  return words.flatMap((word) => {
    const kept = word.filter(isHangulSyllable);
    const written = kept.join("");
    const facts = wordFacts(written);
    const letterName = LETTER_NAMES.some((name) => written.startsWith(name)) ? 2 : -1;
    return kept.map((text, index) => ({
      text,
      written: splitSyllable(text),
      wordStart: index === 0,
      wordEnd: index === kept.length - 1,
      compoundSeamBefore: facts.compoundSeams.get(index),
      tensingBefore: facts.tensing.get(index),
      futureModifier: index === kept.length - 1 ? facts.futureModifier : undefined,
      afterLetterName: index === letterName,
      dependentNoun: index === 0 && startsWithDependentNoun(written),
    }));
  });
}

function seamOptions(left: SyllableInContext, right: SyllableInContext): Seam[] {
  if (right.wordStart) {
    const together = right.written.onset === "ㅇ" ? acrossWordsBeforeVowel(left, right) : beforeConsonant(left, right, true);
    return distinct([...together, ...pauseBetween(left, right)]);
  }
  if (right.written.onset !== "ㅇ") return distinct(beforeConsonant(left, right, false));
  const kind = right.compoundSeamBefore;
  return distinct(kind ? compoundSeam(left, right, kind) : [carryOverAsWritten(left, right)]);
}

function distinct(seams: Seam[]): Seam[] {
  const unique: Seam[] = [];
  for (const seam of seams) {
    if (!unique.some((kept) => kept.coda === seam.coda && kept.onset === seam.onset)) unique.push(seam);
  }
  return unique;
}
