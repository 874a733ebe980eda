/**
 * When an attempt passes, for the server, the web client and Unity alike (docs/scoring.md, "Pass
 * rule"): every syllable of the line was said right by sound, or a tutor's grade reached the pass
 * mark. A passing tutor grade moves the lesson on exactly like a passing automatic score.
 * Pure and dependency-free so that the web client imports this very file.
 */

/** The default pass mark for tutor grades (configurable as PASS_MARK). */
export const DEFAULT_PASS_MARK = 80;

/** What the rule reads from an attempt; a tutor grade below 0 (or null) means "not graded". */
export interface PassEvidence {
  syllables?: ReadonlyArray<{ verdict: string }>;
  tutorScore?: number | null;
}

/** Every syllable correct by sound: nothing substituted, missing or extra. */
export function everySyllableCorrect(syllables: ReadonlyArray<{ verdict: string }> | undefined): boolean {
  return syllables !== undefined && syllables.length > 0 && syllables.every((syllable) => syllable.verdict === "correct");
}

export function tutorGradePasses(tutorScore: number | null | undefined, passMark = DEFAULT_PASS_MARK): boolean {
  return typeof tutorScore === "number" && Number.isFinite(tutorScore) && tutorScore >= 0 && tutorScore >= passMark;
}

export function attemptPasses(evidence: PassEvidence, passMark = DEFAULT_PASS_MARK): boolean {
  return everySyllableCorrect(evidence.syllables) || tutorGradePasses(evidence.tutorScore, passMark);
}
