import { combineCharacter, disassembleCompleteCharacter } from "es-hangul";
import {
  DEFAULT_MAX_TIP_CHARS,
  type Feedback,
  type FeedbackRequest,
  type FeedbackWriter,
  type LearnerLanguage,
  type SyllableComparison,
} from "./feedback-writer.ts";
import { cleanTip } from "./tip-text.ts";

interface Phrases {
  allCorrect(target: string): string;
  nothingHeard(): string;
  substituted(syllable: string, word: string | undefined, heard: string): string;
  omitted(syllable: string, word: string | undefined): string;
  inserted(heard: string): string;
  moreToFix(): string;
}

const PHRASES: Record<LearnerLanguage, Phrases> = {
  en: {
    allCorrect: (target) => `Well done: every syllable of ${target} came through clearly.`,
    nothingHeard: () => "We could not hear you this time; try again a little closer to the microphone.",
    substituted: (syllable, word, heard) =>
      word ? `Listen again to ${syllable} in ${word}: you said ${heard}.` : `Listen again to ${syllable}: you said ${heard}.`,
    omitted: (syllable, word) => (word ? `Don't skip ${syllable} in ${word}.` : `Don't skip ${syllable}.`),
    inserted: (heard) => `You added an extra ${heard}; leave it out.`,
    moreToFix: () => "Then say the whole sentence again, slowly.",
  },
  id: {
    allCorrect: (target) => `Bagus sekali: setiap suku kata ${target} terdengar jelas.`,
    nothingHeard: () => "Suaramu belum terdengar; coba lagi sedikit lebih dekat ke mikrofon.",
    substituted: (syllable, word, heard) =>
      word
        ? `Dengarkan lagi ${syllable} pada ${word}: kamu mengucapkan ${heard}.`
        : `Dengarkan lagi ${syllable}: kamu mengucapkan ${heard}.`,
    omitted: (syllable, word) => (word ? `Jangan lewatkan ${syllable} pada ${word}.` : `Jangan lewatkan ${syllable}.`),
    inserted: (heard) => `Ada tambahan ${heard}; ucapkan tanpa suku kata itu.`,
    moreToFix: () => "Lalu ucapkan seluruh kalimat lagi pelan-pelan.",
  },
};

/** How many mistakes one tip names; more than that overwhelms a beginner. */
const MISTAKES_PER_TIP = 2;

const HANGUL_SYLLABLE = /[\uAC00-\uD7A3]/u;

/**
 * The word of `target` that holds the syllable at `index` (counted over Hangul syllables, the
 * way the scorer counts), without punctuation. Falls back to the first word containing the
 * syllable when the index does not point at it.
 */
export function wordContaining(target: string, index: number | null, syllable: string): string | undefined {
  const words = target.split(/\s+/u).filter((word) => word !== "");
  if (index !== null) {
    let seen = 0;
    for (const word of words) {
      for (const character of word) {
        if (!HANGUL_SYLLABLE.test(character)) continue;
        if (seen === index) {
          if (character === syllable) return bareWord(word);
          break;
        }
        seen++;
      }
      if (seen > index) break;
    }
  }
  const holder = syllable === "" ? undefined : words.find((word) => word.includes(syllable));
  return holder === undefined ? undefined : bareWord(holder);
}

function bareWord(word: string): string {
  return word.replace(/[^\p{L}\p{N}]/gu, "");
}

/**
 * What to point the learner at when one syllable was heard as another: the single sound that
 * differs when there is one (the vowel 어 of 저 heard as 조: "어" and "오"; a consonant as its
 * letter), otherwise the whole syllables.
 */
export function soundsToCompare(target: string, heard: string): { target: string; heard: string } {
  const expected = disassembleCompleteCharacter(target);
  const actual = disassembleCompleteCharacter(heard);
  if (!expected || !actual) return { target, heard };
  const onsetDiffers = expected.choseong !== actual.choseong;
  const vowelDiffers = expected.jungseong !== actual.jungseong;
  const finalDiffers = expected.jongseong !== actual.jongseong;
  const differences = [onsetDiffers, vowelDiffers, finalDiffers].filter(Boolean).length;
  if (differences !== 1) return { target, heard };
  // A vowel alone is written after the silent ㅇ, as Korean textbooks do.
  if (vowelDiffers) return { target: combineCharacter("ㅇ", expected.jungseong), heard: combineCharacter("ㅇ", actual.jungseong) };
  if (onsetDiffers) return { target: expected.choseong, heard: actual.choseong };
  const singleLetter = (letter: string): boolean => Array.from(letter).length === 1;
  if (singleLetter(expected.jongseong) && singleLetter(actual.jongseong)) {
    return { target: expected.jongseong, heard: actual.jongseong };
  }
  return { target, heard };
}

function describe(phrases: Phrases, target: string, mistake: SyllableComparison): string | undefined {
  const word = () => wordContaining(target, mistake.index, mistake.target);
  switch (mistake.verdict) {
    case "substituted": {
      if (mistake.heard === "") return phrases.omitted(mistake.target, word());
      const sounds = soundsToCompare(mistake.target, mistake.heard);
      return phrases.substituted(sounds.target, word(), sounds.heard);
    }
    case "omitted":
      return mistake.target === "" ? undefined : phrases.omitted(mistake.target, word());
    case "inserted":
      return mistake.heard === "" ? undefined : phrases.inserted(mistake.heard);
    case "correct":
      return undefined;
  }
}

/** Deterministic tips from the syllable verdicts, in the learner's language. Never fails. */
export class TemplateFeedbackWriter implements FeedbackWriter {
  private readonly maxTipChars: number;

  constructor(options: { maxTipChars?: number } = {}) {
    this.maxTipChars = options.maxTipChars ?? DEFAULT_MAX_TIP_CHARS;
  }

  async write(request: FeedbackRequest): Promise<Feedback> {
    return { tip: cleanTip(this.compose(request), this.maxTipChars), source: "template" };
  }

  private compose(request: FeedbackRequest): string {
    const phrases = PHRASES[request.learnerLanguage];
    if (request.transcript.trim() === "") return phrases.nothingHeard();
    const sentences = request.syllables
      .map((syllable) => describe(phrases, request.target, syllable))
      .filter((sentence): sentence is string => sentence !== undefined);
    if (sentences.length === 0) return phrases.allCorrect(request.target);
    const named = sentences.slice(0, MISTAKES_PER_TIP);
    if (sentences.length > MISTAKES_PER_TIP) named.push(phrases.moreToFix());
    return named.join(" ");
  }
}
