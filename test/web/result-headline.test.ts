/**
 * The score a result card leads with: a tutor's grade decides the result, so once there is one it is
 * the score in the ring, labelled as the tutor's, and the automatic check (a 0 for a spoken answer no
 * speech-to-text understood) is only a detail: "Well done!" never sits over an automatic 0.
 */
import assert from "node:assert/strict";
import { t } from "../../web-client/src/i18n.ts";
import { headlineScore } from "../../web-client/src/views/attempt-parts.ts";
import { resultLook } from "../../web-client/src/views/lesson/result-rule.ts";

describe("web client: the result card's headline score", () => {
  const cases: Array<[why: string, attempt: { status: string; overall: number; tutorScore: number }, headline: ReturnType<typeof headlineScore>]> = [
    ["scored automatically", { status: "scored", overall: 78, tutorScore: -1 }, { score: 78, label: "overall", by: "automatic" }],
    ["a spoken answer scored 0, then graded 95 by a tutor", { status: "scored", overall: 0, tutorScore: 95 }, { score: 95, label: "tutorGradeLabel", by: "tutor" }],
    ["a tutor grade below the automatic score", { status: "scored", overall: 90, tutorScore: 40 }, { score: 40, label: "tutorGradeLabel", by: "tutor" }],
    ["awaiting a tutor, then graded", { status: "scored", overall: -1, tutorScore: 95 }, { score: 95, label: "tutorGradeLabel", by: "tutor" }],
    ["awaiting a tutor, ungraded", { status: "awaiting-tutor", overall: -1, tutorScore: -1 }, null],
    ["still being checked", { status: "evaluating", overall: -1, tutorScore: -1 }, null],
  ];
  for (const [why, attempt, headline] of cases) {
    it(`leads with ${headline ? `${headline.score} (${headline.by})` : "no score"}: ${why}`, () => {
      assert.deepEqual(headlineScore(attempt), headline);
    });
  }

  it("agrees with the verdict: a tutor's pass over an automatic 0 is 'Well done!' over a green 95", () => {
    const attempt = { status: "scored", overall: 0, tutorScore: 95, correct: false, syllables: [] };
    const look = resultLook(attempt);
    assert.equal(look.title, "wellDone");
    assert.equal(look.band, "band-good");
    assert.equal(headlineScore(attempt)!.score, 95);
  });

  it("labels the tutor's grade as the tutor's in both languages", () => {
    assert.equal(t("tutorGradeLabel", {}, "en"), "Tutor's grade");
    assert.equal(t("tutorGradeLabel", {}, "id"), "Nilai tutor");
    assert.equal(t("automaticCheck", {}, "id"), "Pemeriksaan otomatis");
  });
});
