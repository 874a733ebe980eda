import assert from "node:assert/strict";
import { conversationFor } from "../../web-client/src/session/conversation.ts";
import { learnerLines, linePosition, linesPassed, linesSaid } from "../../web-client/src/session/learner-lines.ts";
import { normalizeSnapshot, type AttemptSnapshot, type LessonSnapshot } from "../../web-client/src/session/snapshot.ts";
import { recapOf } from "../../web-client/src/views/lesson/recap.ts";

/** A dialogue of 8 lines: the partner (A) says the even ones, the learner (B) the odd ones — 4 of them. */
const STEPS = Array.from({ length: 8 }, (_, index) => ({
  index, speaker: index % 2 === 0 ? "A" : "B", korean: `줄${index}`, romanization: "", translation: "", audioUrl: "", accepted: [`줄${index}`],
  playedByServer: index % 2 === 0,
}));

interface Answer {
  step: number;
  how: "spoken" | "typed" | "spoken, then a tutor's grade" | "wrong" | "awaiting a tutor";
  learnerId?: string;
}

function answer({ step, how, learnerId = "mina" }: Answer, index: number): AttemptSnapshot {
  const graded = how === "spoken, then a tutor's grade";
  const passed = how === "spoken" || how === "typed" || graded;
  return {
    id: `a${index}`, learnerId, step, kind: how === "typed" ? "typed" : "spoken", status: how === "awaiting a tutor" ? "awaiting-tutor" : "scored",
    text: "", correct: how === "spoken" || how === "typed", overall: passed ? 95 : 40, accuracy: 0, completeness: 0, fluency: -1, syllables: [],
    feedback: "", failureCode: "", failureReason: "", tutorScore: graded ? 90 : -1, tutorComment: "", createdAt: index, passed,
  };
}

function session(options: { phase?: string; currentStep?: number; answers?: Answer[]; completedSteps?: number[]; role?: string } = {}): LessonSnapshot {
  const snapshot = normalizeSnapshot({
    lesson: { id: "ko-en-01-greetings", pack: "ko-en", title: "Greetings", level: "beginner", learnerLanguage: "en", automaticScoring: true },
    phase: options.phase ?? "finished",
    currentStep: options.currentStep ?? 8,
    steps: STEPS,
    participants: { mina: { id: "mina", displayName: "Mina", role: "learner", platform: "web", dialogueRole: options.role ?? "B", connected: true, speaking: false } },
    attempts: (options.answers ?? []).map(answer),
  });
  snapshot.progress.mina = {
    learnerId: "mina", currentStep: snapshot.currentStep, completedSteps: options.completedSteps ?? [], attemptsCount: 0, bestScore: 0, hintsUsed: 0, lastHint: "",
  };
  return snapshot;
}

describe("web client: a learner's lines, counted once for every place that shows them", () => {
  it("are the lines of the role the learner plays, not the whole dialogue", () => {
    assert.deepEqual(learnerLines(STEPS, "B").map((step) => step.index), [1, 3, 5, 7]);
    assert.deepEqual(learnerLines(STEPS, "A").map((step) => step.index), [0, 2, 4, 6]);
    assert.deepEqual(linePosition(STEPS, "B", 3), { n: 2, total: 4 }, "the turn panel's “Line 2 of 4”");
    assert.equal(linePosition(STEPS, "B", 2), null, "the partner's line is not counted as the learner's");
  });

  // Lines said in this session, however they were passed; the attempts are this session's (the room's).
  const table: { why: string; snapshot: LessonSnapshot; said: number }[] = [
    {
      why: "spoken, typed and tutor-graded answers all count; a wrong answer gone past does not",
      snapshot: session({ answers: [{ step: 1, how: "spoken" }, { step: 3, how: "typed" }, { step: 5, how: "spoken, then a tutor's grade" }, { step: 7, how: "wrong" }], completedSteps: [1, 3, 5] }),
      said: 3,
    },
    {
      why: "a line a tutor graded after the learner had gone on counts, once the grade arrives",
      snapshot: session({ answers: [{ step: 1, how: "wrong" }, { step: 1, how: "spoken, then a tutor's grade" }, { step: 3, how: "typed" }, { step: 5, how: "typed" }, { step: 7, how: "typed" }], completedSteps: [1, 3, 5, 7] }),
      said: 4,
    },
    {
      why: "an answer still waiting for a tutor is not said yet",
      snapshot: session({ answers: [{ step: 1, how: "typed" }, { step: 3, how: "typed" }, { step: 5, how: "typed" }, { step: 7, how: "awaiting a tutor" }], completedSteps: [1, 3, 5] }),
      said: 3,
    },
    {
      why: "lines passed on an earlier visit that this session resumed past count",
      snapshot: session({ answers: [{ step: 5, how: "typed" }, { step: 7, how: "typed" }], completedSteps: [1, 3, 5, 7] }),
      said: 4,
    },
    {
      why: "a line passed in an earlier run of the lesson but answered wrong this time does not",
      snapshot: session({ answers: [1, 3, 5, 7].map((step) => ({ step, how: "wrong" as const })), completedSteps: [1, 3, 5, 7] }),
      said: 0,
    },
    {
      why: "mid-lesson, lines ahead of the conversation are not said, whatever an earlier run passed",
      snapshot: session({ phase: "running", currentStep: 5, answers: [{ step: 3, how: "typed" }], completedSteps: [1, 3, 5, 7] }),
      said: 2,
    },
    {
      why: "another learner's answers are theirs",
      snapshot: session({ answers: [{ step: 1, how: "typed", learnerId: "budi" }, { step: 3, how: "typed" }], completedSteps: [3] }),
      said: 1,
    },
    {
      why: "in a pair, the learner playing the partner's side counts that side's lines",
      snapshot: session({ role: "A", answers: [{ step: 0, how: "typed" }, { step: 2, how: "typed" }], completedSteps: [0, 2] }),
      said: 2,
    },
    {
      why: "nothing before the lesson starts",
      snapshot: session({ phase: "lobby", currentStep: 0, completedSteps: [1, 3] }),
      said: 0,
    },
  ];
  for (const row of table) {
    it(`says how many lines were said in this session: ${row.why}`, () => {
      assert.deepEqual(linesSaid(row.snapshot, "mina"), { done: row.said, total: 4 });
      // The recap and the conversation (a score chip, or "done earlier") tell the same number.
      const recap = recapOf(row.snapshot, "mina");
      assert.deepEqual({ said: recap.said, total: recap.total }, { said: row.said, total: 4 });
      const shownSaid = conversationFor(row.snapshot, "mina").filter((item) => item.kind === "own"
        && (item.doneEarlier || item.attempts.some((attempt) => attempt.passed)));
      assert.equal(shownSaid.length, row.said);
    });
  }

  it("counts stored progress (lesson list, progress page) against the learner's lines", () => {
    assert.deepEqual(linesPassed(STEPS, "B", []), { done: 0, total: 4 });
    assert.deepEqual(linesPassed(STEPS, "B", [1, 5]), { done: 2, total: 4 });
    assert.deepEqual(linesPassed(STEPS, "B", [1, 3, 5, 7]), { done: 4, total: 4 });
    // Only the learner's own lines are stored; one who played the partner's side in a pair has those.
    assert.deepEqual(linesPassed(STEPS, "B", [0, 2, 4]), { done: 3, total: 4 });
    assert.deepEqual(linesPassed(STEPS, "B", [0, 1, 3]), { done: 2, total: 4 }, "both sides played: the lesson's role unless the other has more");
  });
});
