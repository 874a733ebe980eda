/**
 * Hangul syllables as onset + vowel + coda, written with the letters a Korean teacher uses
 * (compatibility jamo such as ㄱ, ㅘ, ㄺ). Unicode composes every modern syllable from these
 * three lists in this order, so a syllable is arithmetic on its code point.
 */
export const ONSETS = [
  "ㄱ", "ㄲ", "ㄴ", "ㄷ", "ㄸ", "ㄹ", "ㅁ", "ㅂ", "ㅃ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅉ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ",
] as const;

export const VOWELS = [
  "ㅏ", "ㅐ", "ㅑ", "ㅒ", "ㅓ", "ㅔ", "ㅕ", "ㅖ", "ㅗ", "ㅘ", "ㅙ", "ㅚ", "ㅛ", "ㅜ", "ㅝ", "ㅞ", "ㅟ", "ㅠ", "ㅡ", "ㅢ", "ㅣ",
] as const;

/** "" is the open syllable (no final consonant). */
export const CODAS = [
  "", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ",
  "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ",
] as const;

export interface Syllable {
  onset: string;
  vowel: string;
  coda: string;
}

const FIRST_SYLLABLE = 0xac00;
const LAST_SYLLABLE = 0xd7a3;
const PER_ONSET = VOWELS.length * CODAS.length;

const onsetIndex = new Map<string, number>(ONSETS.map((letter, index) => [letter, index]));
const vowelIndex = new Map<string, number>(VOWELS.map((letter, index) => [letter, index]));
const codaIndex = new Map<string, number>(CODAS.map((letter, index) => [letter, index]));

export function isHangulSyllable(character: string): boolean {
  const code = character.charCodeAt(0);
  return character.length === 1 && code >= FIRST_SYLLABLE && code <= LAST_SYLLABLE;
}

/** The three parts of one precomposed syllable (the caller checks isHangulSyllable). */
export function splitSyllable(character: string): Syllable {
  const offset = character.charCodeAt(0) - FIRST_SYLLABLE;
  return {
    onset: ONSETS[Math.floor(offset / PER_ONSET)],
    vowel: VOWELS[Math.floor((offset % PER_ONSET) / CODAS.length)],
    coda: CODAS[offset % CODAS.length],
  };
}

export function joinSyllable(syllable: Syllable): string {
  const onset = onsetIndex.get(syllable.onset);
  const vowel = vowelIndex.get(syllable.vowel);
  const coda = codaIndex.get(syllable.coda);
  if (onset === undefined || vowel === undefined || coda === undefined) {
    throw new Error(`not a Hangul syllable: ${syllable.onset}+${syllable.vowel}+${syllable.coda}`);
  }
  return String.fromCharCode(FIRST_SYLLABLE + onset * PER_ONSET + vowel * CODAS.length + coda);
}
