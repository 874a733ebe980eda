/**
 * Maps an evaluation (speech-to-text → score → feedback) onto the attempt fields it fills: the
 * same for a first evaluation in a room, a re-evaluation and an automatic retry.
 */
import { PIPELINE_SAMPLE_RATE, type UtteranceTiming } from "../speech/audio/index.ts";
import type { Evaluation } from "../speech/pipeline/evaluate-utterance.ts";
import type { AttemptResult } from "./attempt.ts";

export function evaluationResult(evaluation: Evaluation, details: Record<string, unknown>): AttemptResult {
  const base = { ...details, stages: evaluation.timings };
  if (evaluation.status !== "scored") {
    return {
      text: evaluation.transcript, correct: false, overall: null, accuracy: null, completeness: null, fluency: null,
      syllables: null, feedback: null, failureCode: evaluation.code, failureReason: evaluation.reason,
      evaluation: { ...base, code: evaluation.code },
    };
  }
  return {
    text: evaluation.transcript, correct: evaluation.correct, overall: evaluation.score.overall,
    accuracy: evaluation.score.accuracy, completeness: evaluation.score.completeness, fluency: evaluation.score.fluency,
    syllables: evaluation.score.syllables, feedback: evaluation.feedback.tip, failureCode: null, failureReason: null,
    evaluation: { ...base, matched: evaluation.matched, feedbackSource: evaluation.feedback.source },
  };
}

/** What an evaluation that threw (a bug, not a provider refusal) becomes: a failure that can be retried. */
export function failedEvaluation(): Evaluation {
  return {
    status: "failed", code: "EVALUATION_FAILED", transcript: "",
    reason: "Your answer could not be evaluated; the recording is kept and can be evaluated again.",
    timings: { trimMs: 0, speechToTextMs: 0, scoringMs: 0, feedbackMs: 0 },
  };
}

/** Timing for a recording whose endpointing was not kept: all of it is speech. */
export function fullSpan(sampleCount: number): UtteranceTiming {
  const ms = (sampleCount / PIPELINE_SAMPLE_RATE) * 1000;
  return { speechMs: ms, pauses: [], speechStartMs: 0, speechEndMs: ms } as UtteranceTiming;
}

/** Failures a provider outage causes: an automatic retry may succeed once it recovers. */
export const RETRYABLE_FAILURES = [
  "STT_TIMEOUT", "STT_UNAVAILABLE", "STT_BAD_RESPONSE", "PROVIDER_TIMEOUT", "PROVIDER_UNAVAILABLE", "PROVIDER_BAD_RESPONSE",
  "PROVIDER_BUSY", "PROVIDER_CIRCUIT_OPEN", "EVALUATION_FAILED", "SERVER_RESTARTED",
] as const;

export function isRetryableFailure(code: string | null): boolean {
  return code !== null && (RETRYABLE_FAILURES as readonly string[]).includes(code);
}
