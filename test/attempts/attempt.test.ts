import assert from "node:assert/strict";
import { ATTEMPT_STATUSES, attemptPasses, canTransition, newAttempt, settledOutcome, transition, type AttemptRecord } from "../../server/attempts/attempt.ts";
import { progressAfterResult, progressWrite } from "../../server/progress/progress.ts";
import { keepsPreviousResult, previousResult, previousResultKept } from "../../server/attempts/evaluation-result.ts";

const record = (fields: Partial<AttemptRecord> = {}): AttemptRecord => ({
  ...newAttempt({ id: "a1", sessionId: "s", learnerId: "l", lessonId: "x", stepIndex: 2, kind: "spoken", status: "recording" }),
  tutorId: null, tutorScore: null, tutorComment: null, retries: 0, createdAt: new Date(0).toISOString(), ...fields,
});

describe("Attempt lifecycle", () => {
  const allowed: Array<[string, string]> = [
    ["recording", "evaluating"], ["recording", "failed"],
    ["evaluating", "scored"], ["evaluating", "failed"], ["evaluating", "awaiting-tutor"],
    ["scored", "evaluating"], ["scored", "scored"], ["failed", "evaluating"], ["failed", "scored"],
    ["awaiting-tutor", "evaluating"], ["awaiting-tutor", "scored"],
  ];
  for (const from of ATTEMPT_STATUSES) {
    for (const to of ATTEMPT_STATUSES) {
      const ok = allowed.some(([a, b]) => a === from && b === to);
      it(`${ok ? "allows" : "refuses"} ${from} → ${to}`, () => {
        assert.equal(canTransition(from, to), ok);
        if (!ok) assert.throws(() => transition(record({ status: from }), to), /ATTEMPT_BUSY|ATTEMPT_STATE_INVALID/);
      });
    }
  }

  it("clears an old failure when an attempt is evaluated again and scored", () => {
    const failed = record({ status: "failed", failureCode: "STT_UNAVAILABLE", failureReason: "down" });
    const evaluating = transition(failed, "evaluating");
    assert.equal(evaluating.failureCode, null);
    assert.equal(transition(evaluating, "scored", { correct: true, overall: 95 }).failureReason, null);
  });

  it("keeps a tutor's grade standing when the attempt is evaluated again (never awaiting a tutor, never failed)", () => {
    const graded = transition(record({ status: "awaiting-tutor", tutorScore: 64 }), "evaluating");
    const waiting = settledOutcome(graded, "awaiting-tutor", { text: "안녕", evaluation: { stt: "none" } });
    assert.deepEqual(waiting, { to: "scored", result: { text: "안녕", evaluation: { stt: "none" }, failureCode: null, failureReason: null } });
    const failed = settledOutcome(graded, "failed", { failureCode: "STT_UNAVAILABLE", failureReason: "down", evaluation: { code: "STT_UNAVAILABLE" } });
    assert.equal(failed.to, "scored");
    assert.equal(transition(graded, failed.to, failed.result).failureCode, null);
    assert.equal(transition(graded, failed.to, failed.result).tutorScore, 64);
    // Without a grade the outcome is the evaluation's own.
    assert.equal(settledOutcome(record({ status: "evaluating" }), "awaiting-tutor", {}).to, "awaiting-tutor");
    assert.equal(settledOutcome(record({ status: "evaluating" }), "failed", { failureCode: "X" }).result.failureCode, "X");
  });

  it("keeps a result through a re-evaluation that met only an outage, and puts every result field back", () => {
    const scored = record({ status: "scored", text: "안녕하세요", correct: true, overall: 96, feedback: "Good", evaluation: { stt: "openai" } });
    const outage = { status: "failed", result: { failureCode: "STT_UNAVAILABLE", failureReason: "down" } };
    assert.equal(keepsPreviousResult(scored, outage), true);
    assert.equal(keepsPreviousResult(record({ status: "awaiting-tutor" }), outage), true);
    // A failed attempt stays failed (with the new reason); a real verdict always counts.
    assert.equal(keepsPreviousResult(record({ status: "failed" }), outage), false);
    assert.equal(keepsPreviousResult(scored, { status: "failed", result: { failureCode: "NO_SPEECH" } }), false);
    assert.equal(keepsPreviousResult(scored, { status: "scored", result: {} }), false);
    const restored = transition(transition(scored, "evaluating"), "scored", previousResult(scored));
    assert.deepEqual({ ...restored, retries: 0 }, { ...scored, retries: 0 });
    assert.equal(previousResultKept(outage).code, "STT_UNAVAILABLE");
    assert.equal(previousResultKept(outage).status, 503);
  });

  it("passes on every syllable right, or on a tutor grade at the pass mark", () => {
    assert.equal(attemptPasses({ correct: true, tutorScore: null }), true);
    assert.equal(attemptPasses({ correct: false, tutorScore: 80 }), true);
    assert.equal(attemptPasses({ correct: false, tutorScore: 79 }), false);
    assert.equal(attemptPasses({ correct: false, tutorScore: 70 }, 70), true);
  });
});

describe("Progress rules", () => {
  const start = { currentStep: 1, completedSteps: [], attemptsCount: 0, bestScore: 0, hintsUsed: 2 };

  it("counts an attempt once, at its first result, and adds a pass and a better score", () => {
    const first = progressAfterResult(start, { stepIndex: 1, correct: false, tutorScore: null, overall: 60 }, { firstResult: true, passMark: 80 });
    assert.deepEqual(first, { ...start, attemptsCount: 1, bestScore: 60 });
    const graded = progressAfterResult(first, { stepIndex: 1, correct: false, tutorScore: 90, overall: 60 }, { firstResult: false, passMark: 80, nextStep: 3 });
    assert.deepEqual(graded, { ...start, attemptsCount: 1, bestScore: 90, completedSteps: [1], currentStep: 3 });
  });

  it("completes a lesson only when every line of a known role was passed", () => {
    const done = { ...start, completedSteps: [1, 3] };
    assert.notEqual(progressWrite("l", "x", done, [1, 3]).completedAt, null);
    assert.equal(progressWrite("l", "x", done, [1, 3]).currentStep, 0);
    assert.equal(progressWrite("l", "x", done, []).completedAt, null, "unknown role: never completed");
    assert.equal(progressWrite("l", "x", { ...start, completedSteps: [1] }, [1, 3]).completedAt, null);
    // Two lines of the other role (a pair session where the learner played it) do not complete this one.
    assert.equal(progressWrite("l", "x", { ...start, completedSteps: [0, 2] }, [1, 3]).completedAt, null);
    // The conversation's end reached by skipping a line: not completed, and the next visit starts at the top.
    const skipped = progressWrite("l", "x", { ...start, currentStep: 4, completedSteps: [1] }, [1, 3], { finished: true });
    assert.equal(skipped.completedAt, null);
    assert.equal(skipped.currentStep, 0);
    assert.equal(skipped.restart, true);
    assert.notEqual(progressWrite("l", "x", { ...done, currentStep: 4 }, [1, 3], { finished: true }).completedAt, null);
  });
});
