/**
 * After an utterance ends: trim → speech-to-text → deterministic Korean score → feedback.
 * Each stage is timed. The score comes only from our scorer; the feedback writer sees the verdicts
 * but cannot change them.
 */
import { PIPELINE_SAMPLE_RATE, encodeWav, trimSilence, type UtteranceTiming } from "../audio/index.ts";
import type { SpeechToText } from "../stt/speech-to-text.ts";
import type { FeedbackWriter, LearnerLanguage } from "../feedback/feedback-writer.ts";
import type { ScoreResult } from "../scoring/index.ts";
import { scoreAgainstAccepted } from "../scoring/score.ts";
import { KotoError } from "../../errors.ts";

export interface UtteranceToEvaluate {
  samples: Int16Array;
  timing: UtteranceTiming;
  /** Accepted answers for the step; the first is the line itself. */
  accepted: string[];
  learnerLanguage: LearnerLanguage;
  /** The lesson's example name, for a line with the learner's {name} when what was said names no one. */
  exampleName?: string;
}

export interface EvaluationDependencies {
  speechToText: SpeechToText;
  feedback: FeedbackWriter;
}

export type Evaluation =
  | {
      status: "scored";
      transcript: string;
      matched: string;
      correct: boolean;
      score: ScoreResult;
      feedback: { tip: string; source: string };
      timings: StageTimings;
    }
  | { status: "awaiting-tutor" | "failed"; code: string; reason: string; transcript: string; timings: StageTimings };

export interface StageTimings {
  trimMs: number;
  speechToTextMs: number;
  scoringMs: number;
  feedbackMs: number;
}


export async function evaluateUtterance(input: UtteranceToEvaluate, deps: EvaluationDependencies, signal?: AbortSignal): Promise<Evaluation> {
  const timings: StageTimings = { trimMs: 0, speechToTextMs: 0, scoringMs: 0, feedbackMs: 0 };
  let mark = performance.now();
  const lap = (stage: keyof StageTimings) => {
    const now = performance.now();
    timings[stage] = Math.round((now - mark) * 100) / 100;
    mark = now;
  };

  const speech = trimSilence(input.samples, input.timing, PIPELINE_SAMPLE_RATE);
  lap("trimMs");
  if (speech.length === 0) {
    return { status: "failed", code: "NO_SPEECH", reason: "We did not hear any speech. Check your microphone and try again.", transcript: "", timings };
  }

  let transcript: string;
  try {
    transcript = (await deps.speechToText.transcribe({ wav: encodeWav(speech, PIPELINE_SAMPLE_RATE), language: "ko", expectedText: input.accepted[0] }, signal)).text;
  } catch (error) {
    lap("speechToTextMs");
    if (error instanceof KotoError && error.code === "STT_DISABLED") {
      return { status: "awaiting-tutor", code: error.code, reason: error.detail, transcript: "", timings };
    }
    const known = error instanceof KotoError ? error : new KotoError("STT_FAILED", "speech recognition failed; your attempt is kept and can be evaluated again");
    return { status: "failed", code: known.code, reason: known.detail, transcript: "", timings };
  }
  lap("speechToTextMs");

  let scored: { correct: boolean; answer: string; score: ScoreResult };
  try {
    scored = scoreAgainstAccepted(input.accepted, transcript, { speechMs: input.timing.speechMs, pauses: input.timing.pauses }, input.exampleName);
  } catch (error) {
    // A transcript over the scorer's caps (a looping recogniser) is a clear failure, not a stuck attempt.
    lap("scoringMs");
    const known = error instanceof KotoError ? error : new KotoError("EVALUATION_FAILED", "your answer could not be scored");
    return { status: "failed", code: known.code, reason: known.detail, transcript, timings };
  }
  // The product rule: correct means every syllable right by sound (the score's level does not add a bar).
  const { score, answer: matched, correct } = scored;
  lap("scoringMs");

  const feedback = await deps.feedback.write({
    target: matched, transcript, learnerLanguage: input.learnerLanguage, overall: score.overall,
    syllables: score.syllables.map(({ index, target, heard, verdict }) => ({ index, target, heard, verdict })),
  }, signal);
  lap("feedbackMs");
  return { status: "scored", transcript, matched, correct, score, feedback, timings };
}
