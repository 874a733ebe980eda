import { KotoError } from "../../errors.ts";
import { scoreUtterance } from "./score.ts";

/**
 * `koto score "<target>" "<heard>"`: one line of JSON with the score and the syllable verdicts
 * (each with `jamo` when substituted), for authors checking how a line will be judged.
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
    syllables: score.syllables.map(({ index, target, heard, verdict, jamo }) =>
      jamo === undefined ? { index, target, heard, verdict } : { index, target, heard, verdict, jamo }),
  });
}
