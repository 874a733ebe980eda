/**
 * How written Korean is said: every pronunciation the standard rules allow for a text, the
 * standard one first. Rules never change the number of syllables, so pronounced syllable i is
 * always the sound of written syllable i.
 */
import { choicesByDeviation } from "./choices.ts";
import { isHangulSyllable, joinSyllable, splitSyllable } from "./hangul.ts";
import { compoundSeams } from "./lexicon.ts";
import { normalizeKorean } from "./normalize.ts";
import {
  acrossWordsBeforeVowel,
  beforeConsonant,
  carryOverAsWritten,
  compoundSeam,
  finalBeforePause,
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
 * The allowed pronunciations of words given as written syllables, each as one array of
 * pronounced syllables (word spacing dropped; word boundaries only shaped the sounds).
 */
export function pronounceWords(words: readonly (readonly string[])[], limit = MAX_PRONUNCIATIONS): string[][] {
  const syllables = inContext(words);
  if (syllables.length === 0) return [[]];
  const seams = syllables.slice(1).map((right, index) => seamOptions(syllables[index], right));
  const vowels = syllables.map((syllable, index) => vowelOptions(syllable, syllables[index - 1]));
  const lastCoda = finalBeforePause(syllables[syllables.length - 1].written.coda);

  const counts = [...seams.map((options) => options.length), ...vowels.map((options) => options.length)];
  const seen = new Set<string>();
  const pronunciations: string[][] = [];
  for (const choice of choicesByDeviation(counts, limit * 2)) {
    const said = syllables.map((syllable, index) => {
      const onset = index === 0 ? syllable.written.onset : seams[index - 1][choice[index - 1]].onset;
      const coda = index === syllables.length - 1 ? lastCoda : seams[index][choice[index]].coda;
      const vowel = vowelAfterOnset(onset, vowels[index][choice[seams.length + index]]);
      return joinSyllable({ onset, vowel, coda });
    });
    const key = said.join("");
    if (seen.has(key)) continue;
    seen.add(key);
    pronunciations.push(said);
    if (pronunciations.length >= limit) break;
  }
  return pronunciations;
}

function inContext(words: readonly (readonly string[])[]): SyllableInContext[] {
  return words.flatMap((word) => {
    const kept = word.filter(isHangulSyllable);
    const seams = compoundSeams(kept.join(""));
    return kept.map((text, index) => ({
      text,
      written: splitSyllable(text),
      wordStart: index === 0,
      wordEnd: index === kept.length - 1,
      compoundSeamBefore: seams.get(index),
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
