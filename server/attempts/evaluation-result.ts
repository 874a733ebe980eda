/**
 * Maps an evaluation (speech-to-text → score → feedback) onto the attempt fields it fills: the
 * same for a first evaluation in a room, a re-evaluation and an automatic retry.
 */
import { PIPELINE_SAMPLE_RATE, type UtteranceTiming } from "../speech/audio/index.ts";
import type { Evaluation } from "../speech/pipeline/evaluate-utterance.ts";
import type { AttemptRecord, AttemptResult } from "./attempt.ts";
import type { SpeechService } from "../speech/speech-service.ts";
import { exampleNameOf, type Lesson } from "../content/lesson.ts";
import { KotoError } from "../errors.ts";

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

/**
 * A re-evaluation that met only an outage or a busy provider says nothing new about the answer: an
 * attempt that had a result keeps it (`previousResult`), and whoever asked is told why, instead of a
 * scored answer turning `failed` until the retry loop comes round.
 */
export function keepsPreviousResult(previous: Pick<AttemptRecord, "status">, outcome: { status: string; result: AttemptResult }): boolean {
  return previous.status !== "failed" && outcome.status === "failed" && isRetryableFailure(outcome.result.failureCode ?? null);
}

/** The result fields of an attempt as they were, to put back after a re-evaluation that could not run. */
export function previousResult(previous: AttemptRecord): AttemptResult {
  const { text, correct, overall, accuracy, completeness, fluency, syllables, feedback, failureCode, failureReason, evaluation } = previous;
  return { text, correct, overall, accuracy, completeness, fluency, syllables, feedback, failureCode, failureReason, evaluation };
}

/** What the one who asked for the re-evaluation hears when the previous result was kept. */
export function previousResultKept(outcome: { result: AttemptResult }): KotoError {
  return new KotoError(outcome.result.failureCode ?? "EVALUATION_FAILED",
    "speech recognition could not run just now, so the previous result stands; ask again in a moment", 503);
}

/** The kept samples of a spoken attempt, or RECORDING_NOT_FOUND. */
export async function keptSamples(speech: SpeechService, attemptId: string): Promise<Int16Array> {
  const samples = await speech.keeper.load(attemptId);
  if (!samples) throw new KotoError("RECORDING_NOT_FOUND", "this attempt has no stored recording", 404);
  return samples;
}

/**
 * Runs kept audio through evaluation again (in its room or outside any) and maps the outcome onto
 * the attempt: the one re-evaluation, whoever owns the attempt's state.
 */
export async function evaluateAgain(
  speech: SpeechService, record: AttemptRecord, lesson: Lesson, samples: Int16Array, details: Record<string, unknown> = {},
): Promise<{ status: Evaluation["status"]; result: AttemptResult }> {
  const timing = (record.evaluation?.["timing"] as UtteranceTiming | undefined) ?? fullSpan(samples.length);
  const evaluation = await speech.evaluate({
    samples, timing, accepted: [...lesson.steps[record.stepIndex].accepted], learnerLanguage: lesson.learnerLanguage,
    exampleName: exampleNameOf(lesson),
  }).catch(failedEvaluation);
  return {
    status: evaluation.status,
    result: evaluationResult(evaluation, { ...details, provider: speech.sttProvider, timing, endedBy: "reevaluated" }),
  };
}
