/**
 * How far apart two syllables sound, from 0 (the same) to 1 (nothing shared). Built from
 * per-letter distances that know Korean's near misses: the plain/aspirated/tense series
 * (ㄱ ㅋ ㄲ), ㅓ/ㅗ and ㅡ/ㅜ, the merged-in-speech ㅐ/ㅔ, a dropped final consonant.
 */
import { CODAS, ONSETS, VOWELS } from "./hangul.ts";

/** How much each part of a syllable weighs in its distance (they sum to 1). */
export const PART_WEIGHTS = { onset: 0.35, vowel: 0.4, coda: 0.25 } as const;

const ONSET_NEAR: ReadonlyArray<readonly [string, string, number]> = [
  ...series("ㄱ", "ㅋ", "ㄲ"), ...series("ㄷ", "ㅌ", "ㄸ"), ...series("ㅂ", "ㅍ", "ㅃ"), ...series("ㅈ", "ㅊ", "ㅉ"),
  ["ㅅ", "ㅆ", 0.5], ["ㅇ", "ㅎ", 0.5], ["ㄴ", "ㄹ", 0.6], ["ㄴ", "ㅁ", 0.6], ["ㄹ", "ㄷ", 0.7],
  ["ㅅ", "ㅈ", 0.6], ["ㅆ", "ㅉ", 0.6], ["ㅅ", "ㅊ", 0.7], ["ㄷ", "ㅈ", 0.7], ["ㅌ", "ㅊ", 0.6], ["ㄸ", "ㅉ", 0.7],
];

const VOWEL_NEAR: ReadonlyArray<readonly [string, string, number]> = [
  ["ㅐ", "ㅔ", 0.25], ["ㅒ", "ㅖ", 0.25], ["ㅙ", "ㅞ", 0.25], ["ㅚ", "ㅞ", 0.25], ["ㅚ", "ㅙ", 0.25],
  ["ㅓ", "ㅗ", 0.5], ["ㅡ", "ㅜ", 0.5], ["ㅕ", "ㅛ", 0.5], ["ㅣ", "ㅢ", 0.4], ["ㅡ", "ㅢ", 0.4],
  ["ㅏ", "ㅑ", 0.5], ["ㅓ", "ㅕ", 0.5], ["ㅗ", "ㅛ", 0.5], ["ㅜ", "ㅠ", 0.5], ["ㅐ", "ㅒ", 0.5], ["ㅔ", "ㅖ", 0.5],
  ["ㅏ", "ㅘ", 0.5], ["ㅓ", "ㅝ", 0.5], ["ㅐ", "ㅙ", 0.5], ["ㅔ", "ㅞ", 0.5], ["ㅣ", "ㅟ", 0.5], ["ㅜ", "ㅟ", 0.5],
  ["ㅓ", "ㅡ", 0.6], ["ㅗ", "ㅜ", 0.6], ["ㅏ", "ㅓ", 0.6], ["ㅏ", "ㅐ", 0.6], ["ㅔ", "ㅣ", 0.6], ["ㅔ", "ㅢ", 0.6],
  ["ㅗ", "ㅘ", 0.6], ["ㅜ", "ㅝ", 0.6],
];

/** Finals are compared by sound: written ㅅ ㅈ ㅊ ㅌ all end in [ㄷ]. */
const CODA_SOUND: Readonly<Record<string, string>> = {
  ㄲ: "ㄱ", ㅋ: "ㄱ", ㄳ: "ㄱ", ㄺ: "ㄱ", ㄵ: "ㄴ", ㄶ: "ㄴ", ㅅ: "ㄷ", ㅆ: "ㄷ", ㅈ: "ㄷ", ㅊ: "ㄷ",
  ㅌ: "ㄷ", ㅎ: "ㄷ", ㄼ: "ㄹ", ㄽ: "ㄹ", ㄾ: "ㄹ", ㅀ: "ㄹ", ㄻ: "ㅁ", ㅍ: "ㅂ", ㅄ: "ㅂ", ㄿ: "ㅂ",
};

const CODA_NEAR: ReadonlyArray<readonly [string, string, number]> = [
  ["", "ㄱ", 0.7], ["", "ㄴ", 0.7], ["", "ㄷ", 0.7], ["", "ㄹ", 0.7], ["", "ㅁ", 0.7], ["", "ㅂ", 0.7], ["", "ㅇ", 0.7],
  ["ㄴ", "ㅇ", 0.5], ["ㄴ", "ㅁ", 0.5], ["ㅁ", "ㅇ", 0.5], ["ㄱ", "ㄷ", 0.5], ["ㄱ", "ㅂ", 0.5], ["ㄷ", "ㅂ", 0.5],
  ["ㄱ", "ㅇ", 0.6], ["ㄷ", "ㄴ", 0.6], ["ㅂ", "ㅁ", 0.6], ["ㄹ", "ㄴ", 0.6],
];

function series(plain: string, aspirated: string, tense: string): Array<readonly [string, string, number]> {
  return [[plain, aspirated, 0.5], [plain, tense, 0.5], [aspirated, tense, 0.5]];
}

function distanceTable(
  letters: readonly string[],
  near: ReadonlyArray<readonly [string, string, number]>,
  sound: (letter: string) => string = (letter) => letter,
): Float64Array {
  const size = letters.length;
  const pairs = new Map<string, number>();
  for (const [a, b, distance] of near) {
    pairs.set(`${a}|${b}`, distance);
    pairs.set(`${b}|${a}`, distance);
  }
  const table = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const a = sound(letters[i]);
      const b = sound(letters[j]);
      table[i * size + j] = a === b ? (i === j ? 0 : 0.1) : pairs.get(`${a}|${b}`) ?? 1;
    }
  }
  return table;
}

const ONSET_DISTANCE = distanceTable(ONSETS, ONSET_NEAR);
const VOWEL_DISTANCE = distanceTable(VOWELS, VOWEL_NEAR);
const CODA_DISTANCE = distanceTable(CODAS, CODA_NEAR, (letter) => CODA_SOUND[letter] ?? letter);

const FIRST_SYLLABLE = 0xac00;
const PER_ONSET = VOWELS.length * CODAS.length;

/** Distance between two Hangul syllables, 0-1 (weighted by PART_WEIGHTS). Allocation-free: it runs per alignment cell. */
export function syllableDistance(a: string, b: string): number {
  if (a === b) return 0;
  const offsetA = a.charCodeAt(0) - FIRST_SYLLABLE;
  const offsetB = b.charCodeAt(0) - FIRST_SYLLABLE;
  const onsetA = (offsetA / PER_ONSET) | 0;
  const onsetB = (offsetB / PER_ONSET) | 0;
  const vowelA = ((offsetA % PER_ONSET) / CODAS.length) | 0;
  const vowelB = ((offsetB % PER_ONSET) / CODAS.length) | 0;
  return (
    PART_WEIGHTS.onset * ONSET_DISTANCE[onsetA * ONSETS.length + onsetB] +
    PART_WEIGHTS.vowel * VOWEL_DISTANCE[vowelA * VOWELS.length + vowelB] +
    PART_WEIGHTS.coda * CODA_DISTANCE[(offsetA % CODAS.length) * CODAS.length + (offsetB % CODAS.length)]
  );
}
