export type Verdict = "correct" | "substituted" | "omitted" | "inserted";

/** One letter (jamo) that was said differently: ㅓ heard as ㅗ, ㄱ as ㅋ; "" is no final consonant. */
export interface JamoDifference {
  expected: string;
  heard: string;
}

export interface SyllableVerdict {
  /** Position among the target's Hangul syllables (spaces and punctuation not counted); null for an insertion. */
  index: number | null;
  /** The written target syllable ("" for an insertion). */
  target: string;
  /** The written heard syllable ("" for an omission). */
  heard: string;
  verdict: Verdict;
  /** For substitutions: the letters whose sound differs, compared as pronounced in context. */
  jamo?: JamoDifference[];
  /** How the target syllable is said here (the allowed pronunciation closest to what was heard); not for insertions. */
  said?: string;
  /** For substitutions: how the heard syllable sounds in context. */
  heardSaid?: string;
}

/** All scores are integers from 0 to 100. */
export interface ScoreResult {
  overall: number;
  accuracy: number;
  completeness: number;
  /** Null when no timing was given; overall then leaves it out. */
  fluency: number | null;
  syllables: SyllableVerdict[];
}

export interface UtteranceTiming {
  /** Time spent speaking, in ms, not counting the internal silences listed in `pauses`. */
  speechMs: number;
  /** The length in ms of each silence inside the utterance (not before or after it). */
  pauses: number[];
}
