/**
 * The attempt's other shapes, each mapped from the one record: the synchronized schema object
 * (what clients see in room state) and the JSON the HTTP API returns. The store maps rows itself.
 */
import { Attempt, SyllableResult } from "../../schema/index.ts";
import { attemptPasses, type AttemptRecord, type SyllableRecord } from "./attempt.ts";

/** A new synchronized attempt for a record. */
export function attemptToState(record: AttemptRecord, passMark?: number): Attempt {
  const attempt = new Attempt({ id: record.id, learnerId: record.learnerId, step: record.stepIndex, kind: record.kind, createdAt: Date.parse(record.createdAt) });
  applyAttemptToState(attempt, record, passMark);
  return attempt;
}

/** Copies every mutable field of the record onto the synchronized attempt. */
export function applyAttemptToState(attempt: Attempt, record: AttemptRecord, passMark?: number): void {
  attempt.status = record.status;
  attempt.text = record.text;
  attempt.correct = record.correct;
  attempt.passed = attemptPasses(record, passMark);
  attempt.overall = record.overall ?? -1;
  attempt.accuracy = record.accuracy ?? -1;
  attempt.completeness = record.completeness ?? -1;
  attempt.fluency = record.fluency ?? -1;
  attempt.feedback = record.feedback ?? "";
  attempt.failureCode = record.failureCode ?? "";
  attempt.failureReason = record.failureReason ?? "";
  attempt.tutorScore = record.tutorScore ?? -1;
  attempt.tutorComment = record.tutorComment ?? "";
  attempt.evaluation = JSON.stringify(record.evaluation ?? {});
  if (!sameSyllables(attempt, record.syllables ?? [])) setSyllables(attempt, record.syllables ?? []);
}

/** The attempt as the HTTP API returns it (tutor views and the learner's own history). */
export function attemptToWire(record: AttemptRecord, options: { passMark?: number; forTutor: boolean }) {
  return {
    id: record.id, sessionId: record.sessionId, learnerId: record.learnerId, lessonId: record.lessonId,
    step: record.stepIndex, kind: record.kind, status: record.status, text: record.text, correct: record.correct,
    passed: attemptPasses(record, options.passMark), overall: record.overall, accuracy: record.accuracy,
    completeness: record.completeness, fluency: record.fluency, syllables: record.syllables ?? [],
    feedback: record.feedback, failureCode: record.failureCode, failureReason: record.failureReason,
    tutorScore: record.tutorScore, tutorComment: record.tutorComment, createdAt: record.createdAt,
    ...(options.forTutor ? { evaluation: record.evaluation, retries: record.retries } : {}),
  };
}

function sameSyllables(attempt: Attempt, syllables: SyllableRecord[]): boolean {
  return attempt.syllables.length === syllables.length
    && syllables.every((syllable, i) => attempt.syllables[i].verdict === syllable.verdict && attempt.syllables[i].heard === syllable.heard
      && attempt.syllables[i].target === syllable.target);
}

function setSyllables(attempt: Attempt, syllables: SyllableRecord[]): void {
  attempt.syllables.clear();
  for (const syllable of syllables) {
    attempt.syllables.push(new SyllableResult({
      index: syllable.index ?? -1, target: syllable.target, heard: syllable.heard, verdict: syllable.verdict,
      jamo: (syllable.jamo ?? []).map((pair) => `${pair.expected}>${pair.heard}`).join(","),
    }));
  }
}
