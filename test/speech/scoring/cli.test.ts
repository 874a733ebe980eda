import assert from "node:assert/strict";
import { scoreCommand } from "../../../server/speech/scoring/cli.ts";

describe("scoreCommand", () => {
  it("prints one JSON object on one line with the required keys", () => {
    const output = scoreCommand(["저는 학생이에요", "조는 학생이에요"]);
    assert.equal(output.includes("\n"), false);
    const parsed = JSON.parse(output);
    assert.deepEqual(Object.keys(parsed), ["overall", "accuracy", "completeness", "passes", "standard", "syllables"]);
    for (const key of ["overall", "accuracy", "completeness"]) assert.ok(Number.isInteger(parsed[key]), key);
    assert.equal(parsed.passes, false);
    assert.equal(parsed.overall <= 90, true);
    assert.equal(parsed.standard, "저는 학쌩이에요");
    assert.deepEqual(parsed.syllables[0], {
      index: 0, target: "저", heard: "조", verdict: "substituted", said: "저", heardSaid: "조", jamo: [{ expected: "ㅓ", heard: "ㅗ" }],
    });
    for (const syllable of parsed.syllables.slice(1)) {
      assert.deepEqual(Object.keys(syllable), ["index", "target", "heard", "verdict", "said"]);
      assert.equal(syllable.verdict, "correct");
    }
  });

  it("shows how each syllable is said in context, and passes a line said right by sound", () => {
    const parsed = JSON.parse(scoreCommand(["같이 먹어요", "가치 머거요"]));
    assert.equal(parsed.passes, true);
    assert.equal(parsed.overall, 100);
    assert.equal(parsed.standard, "가치 머거요");
    assert.deepEqual(parsed.syllables.map((syllable: { said: string }) => syllable.said).join(""), "가치머거요");
  });

  it("counts indexes over Hangul syllables only and prints null for insertions", () => {
    const parsed = JSON.parse(scoreCommand(["네, 저는 학생이에요!", "네 저는 진짜 학생이에요"]));
    assert.deepEqual(
      parsed.syllables.map((s: { index: number | null; verdict: string }) => [s.index, s.verdict]),
      [[0, "correct"], [1, "correct"], [2, "correct"], [null, "inserted"], [null, "inserted"],
        [3, "correct"], [4, "correct"], [5, "correct"], [6, "correct"], [7, "correct"]],
    );
    assert.equal(parsed.syllables[3].target, "");
    assert.equal(parsed.syllables[3].heard, "진");
  });

  it("prints omissions with an empty heard syllable", () => {
    const parsed = JSON.parse(scoreCommand(["안녕하세요", "안녕세요"]));
    assert.deepEqual(parsed.syllables[2], { index: 2, target: "하", heard: "", verdict: "omitted", said: "하" });
    assert.ok(parsed.completeness < 100);
  });

  it("refuses anything but exactly two arguments", () => {
    for (const args of [[], ["안녕하세요"], ["안녕하세요", "안녕", "extra"]]) {
      assert.throws(() => scoreCommand(args), { name: "KotoError", code: "USAGE" }, JSON.stringify(args));
    }
  });
});
