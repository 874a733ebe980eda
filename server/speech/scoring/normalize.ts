import { choicesByDeviation } from "./choices.ts";
import { numberReadings } from "./numbers.ts";

/** 1,000 and 3.5 are single tokens; a comma that does not group thousands is punctuation. */
const NUMBER_TOKEN = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/gu;
/** What survives normalisation: Hangul syllables, Latin letters and single spaces. */
const NOT_KEPT = /[^\uAC00-\uD7A3a-z\s]+/gu;
const FULL_WIDTH = /[\uFF01-\uFF5E]/gu;

/**
 * The text as the scorer compares it: Unicode NFC (so jamo typed on some keyboards compose),
 * full-width forms folded, digits read the Sino-Korean way (3 -> 삼, 2024 -> 이천이십사),
 * punctuation, emoticons and lone jamo (ㅋㅋ, ㅠㅠ) dropped, Latin lower-cased and spacing collapsed.
 * Sentence-final punctuation in any form (. ? ! ~ …) therefore never matters.
 */
export function normalizeKorean(text: string): string {
  return normalizedReadings(text, 1)[0];
}

/**
 * Like normalizeKorean, but with each number read every way it can be (Sino-Korean first, then
 * native: "3시" -> 삼시, 세시), at most `limit` texts.
 */
export function normalizedReadings(text: string, limit: number): string[] {
  const folded = text
    .normalize("NFC")
    .replace(FULL_WIDTH, (character) => String.fromCharCode(character.charCodeAt(0) - 0xfee0))
    .toLowerCase();
  const tokens = Array.from(folded.matchAll(NUMBER_TOKEN), (match) => ({
    start: match.index,
    end: match.index + match[0].length,
    readings: numberReadings(match[0], folded.slice(match.index + match[0].length)),
  }));
  const texts = new Set<string>();
  for (const choice of choicesByDeviation(tokens.map((token) => token.readings.length), limit)) {
    let read = "";
    let position = 0;
    tokens.forEach((token, index) => {
      read += folded.slice(position, token.start) + token.readings[choice[index]];
      position = token.end;
    });
    texts.add(tidy(read + folded.slice(position)));
  }
  return [...texts];
}

function tidy(text: string): string {
  return text.replace(NOT_KEPT, " ").replace(/\s+/gu, " ").trim();
}
