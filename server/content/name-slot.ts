/**
 * The learner's own name inside a lesson line. Authors write `{name}` where the learner says (or
 * hears) their name ("저는 {name}예요."); the lesson gives an example name for the model audio.
 * Pure, with es-hangul its only dependency: the server (scorer, hints) and the web client share it.
 */
import { romanize } from "es-hangul";

export const NAME_SLOT = "{name}";

const HANGUL_SYLLABLE = /[\uAC00-\uD7A3]/u;
/** Longest name taken from what the learner said: Korean renderings of foreign names run long. */
const MAX_NAME_SYLLABLES = 8;

export function hasNameSlot(text: string): boolean {
  return text.includes(NAME_SLOT);
}

/** Braces other than the one slot: a misspelt `{nama}` must fail validation, not be read aloud. */
export function strayBraces(text: string): boolean {
  return /[{}]/.test(text.split(NAME_SLOT).join(""));
}

export function fillNameSlot(text: string, name: string): string {
  return text.split(NAME_SLOT).join(name);
}

/** A line's romanization with the learner's name in its slot: romanized when the name is written in Hangul. */
export function romanizationWithName(romanization: string, name: string): string {
  return fillNameSlot(romanization, HANGUL_SYLLABLE.test(name) ? romanize(name) : name);
}

/** Only the Hangul syllables: the frame is compared by what was said, not by spacing or punctuation. */
function syllables(text: string): string[] {
  return [...text].filter((character) => HANGUL_SYLLABLE.test(character));
}

/**
 * The answer to score `heard` against: the slot filled with the name the learner said. The name is
 * what stands where the slot is once the frame's syllables before and after it are set aside, so
 * a learner who says the frame a little wrong still has their own name counted as their name (and
 * the frame's mistakes still cost them). Without a usable name the example name is used, so a
 * learner who copies the model line scores like the model line.
 */
export function resolveNameSlot(answer: string, heard: string, exampleName = ""): string {
  if (!hasNameSlot(answer)) return answer;
  return fillNameSlot(answer, spokenName(answer, heard) ?? exampleName);
}

/** The name the learner said where `answer` has its one slot, or null when it cannot be told. */
export function spokenName(answer: string, heard: string): string | null {
  const [before = "", ...rest] = answer.split(NAME_SLOT);
  if (rest.length !== 1) return null;
  const said = syllables(heard);
  const lead = syllables(before).length;
  const nameLength = said.length - lead - syllables(rest[0]!).length;
  if (nameLength < 1 || nameLength > MAX_NAME_SYLLABLES) return null;
  return said.slice(lead, lead + nameLength).join("");
}
