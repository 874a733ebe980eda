import { KotoError } from "../../errors.ts";
import { standardPronunciation } from "./pronunciation.ts";
import { everySyllableCorrect, scoreUtterance } from "./score.ts";

/**
 * `koto score "<target>" "<heard>"`: one line of JSON for authors checking how a line will be
 * judged: the scores, whether it passes on its own (every syllable right by sound), the target's
 * standard pronunciation, and per syllable the verdict, how the target syllable is said there
 * (`said`) and, when substituted, how the heard one sounds (`heardSaid`) and the letters that differ.
 */
export function scoreCommand(args: string[]): string {
  if (args.length !== 2) {
    throw new KotoError("USAGE", 'score takes exactly two arguments: koto score "<target>" "<heard>"');
  }
  const [target, heard] = args;
  const score = scoreUtterance(target, heard);
  return JSON.stringify({
    overall: score.overall,
    accuracy: score.accuracy,
    completeness: score.completeness,
    passes: everySyllableCorrect(score.syllables),
    standard: standardPronunciation(target),
    syllables: score.syllables.map(({ index, target, heard, verdict, said, heardSaid, jamo }) =>
      verdict === "substituted"
        ? { index, target, heard, verdict, said, heardSaid, jamo }
        : verdict === "inserted" ? { index, target, heard, verdict } : { index, target, heard, verdict, said }),
  });
}
