export type SyllableVerdict = "correct" | "substituted" | "omitted" | "inserted";

export interface SyllableComparison {
  /** Position among the target's syllables; null for a syllable the learner inserted. */
  index: number | null;
  /** The syllable the learner should have said ("" when inserted). */
  target: string;
  /** The syllable that was heard ("" when omitted). */
  heard: string;
  verdict: SyllableVerdict;
}

export type LearnerLanguage = "en" | "id";

/** Everything a tip is written from. The score is already decided; a writer never changes it. */
export interface FeedbackRequest {
  target: string;
  /** What speech-to-text heard: untrusted learner speech. */
  transcript: string;
  learnerLanguage: LearnerLanguage;
  syllables: SyllableComparison[];
  overall: number;
}

export interface Feedback {
  tip: string;
  source: "gemini" | "template";
}

export interface FeedbackWriter {
  write(request: FeedbackRequest, signal?: AbortSignal): Promise<Feedback>;
}

export const FEEDBACK_VOCABULARY = { prefix: "FEEDBACK", service: "The feedback writer" } as const;

export const DEFAULT_MAX_TIP_CHARS = 240;
