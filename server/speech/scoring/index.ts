/** The deterministic Korean scorer: the score of record for every attempt. See docs/scoring.md. */
export { checkTypedAnswer, everySyllableCorrect, scoreAgainstAccepted, scoreUtterance, SCORING_LIMITS } from "./score.ts";
export { normalizeKorean } from "./normalize.ts";
export { pronunciationVariants, standardPronunciation } from "./pronunciation.ts";
export { fluencyScore } from "./fluency.ts";
export type { JamoDifference, ScoreResult, SyllableVerdict, UtteranceTiming, Verdict } from "./types.ts";
