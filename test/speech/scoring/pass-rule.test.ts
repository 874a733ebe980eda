import assert from "node:assert/strict";
import { attemptPasses, DEFAULT_PASS_MARK } from "../../../server/speech/scoring/index.ts";
import { loadConfig } from "../../../server/config.ts";

const right = [{ verdict: "correct" }, { verdict: "correct" }];
const oneWrong = [{ verdict: "correct" }, { verdict: "substituted" }];

describe("attemptPasses", () => {
  const rows: Array<[why: string, evidence: Parameters<typeof attemptPasses>[0], passMark: number, passes: boolean]> = [
    ["every syllable correct by sound", { syllables: right, tutorScore: -1 }, 80, true],
    ["one syllable substituted, not graded", { syllables: oneWrong, tutorScore: -1 }, 80, false],
    ["one syllable omitted", { syllables: [{ verdict: "correct" }, { verdict: "omitted" }] }, 80, false],
    ["a syllable inserted", { syllables: [...right, { verdict: "inserted" }] }, 80, false],
    ["nothing scored (awaiting a tutor)", { syllables: [], tutorScore: -1 }, 80, false],
    ["a tutor grade at the pass mark", { syllables: oneWrong, tutorScore: 80 }, 80, true],
    ["a tutor grade above it, without automatic scoring", { syllables: [], tutorScore: 95 }, 80, true],
    ["a tutor grade below it", { syllables: oneWrong, tutorScore: 79 }, 80, false],
    ["a tutor grade below it does not undo an all-correct line", { syllables: right, tutorScore: 40 }, 80, true],
    ["a configured pass mark of 60", { syllables: oneWrong, tutorScore: 65 }, 60, true],
    ["null tutor grade", { syllables: oneWrong, tutorScore: null }, 80, false],
  ];
  for (const [why, evidence, passMark, passes] of rows) {
    it(`${passes ? "passes" : "does not pass"}: ${why}`, () => {
      assert.equal(attemptPasses(evidence, passMark), passes);
    });
  }

  it("defaults to the pass mark of the configuration", () => {
    assert.equal(DEFAULT_PASS_MARK, 80);
    assert.equal(loadConfig({}).passMark, DEFAULT_PASS_MARK);
    assert.equal(loadConfig({ PASS_MARK: "70" }).passMark, 70);
    assert.throws(() => loadConfig({ PASS_MARK: "101" }), { code: "CONFIG_INVALID" });
  });
});
