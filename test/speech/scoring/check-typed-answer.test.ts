import assert from "node:assert/strict";
import { checkTypedAnswer, everySyllableCorrect } from "../../../server/speech/scoring/index.ts";
import { loadConfig } from "../../../server/config.ts";
import { DEFAULT_PASS_MARK } from "../../../server/attempts/attempt.ts";

describe("checkTypedAnswer", () => {
  const accepted = ["저는 학생이에요", "학생이에요"];

  const right: Array<[why: string, answers: string[], typed: string, matched: string]> = [
    ["exactly as written", accepted, "저는 학생이에요", "저는 학생이에요"],
    ["another accepted answer", accepted, "학생이에요", "학생이에요"],
    ["without the space", accepted, "저는학생이에요", "저는 학생이에요"],
    ["with extra spaces", accepted, "  저는   학생 이에요 ", "저는 학생이에요"],
    ["with sentence-final punctuation", accepted, "저는 학생이에요.", "저는 학생이에요"],
    ["with a question mark and tilde", ["괜찮아요"], "괜찮아요?~", "괜찮아요"],
    ["with a laugh typed after it", ["좋아요"], "좋아요 ㅋㅋ", "좋아요"],
    ["the common 께요 spelling of the -ㄹ게요 ending", ["내일 할게요"], "내일 할께요", "내일 할게요"],
    ["the ending spelled as it sounds", ["감사합니다"], "감사함니다", "감사합니다"],
    ["digits for a number", ["세 시에 만나요"], "3시에 만나요", "세 시에 만나요"],
    ["a variant the standard allows", ["시계가 있어요"], "시게가 있어요", "시계가 있어요"],
  ];
  for (const [why, answers, typed, matched] of right) {
    it(`accepts ${why}: ${typed}`, () => {
      const result = checkTypedAnswer(answers, typed);
      assert.equal(result.correct, true);
      assert.equal(result.matched, matched);
      assert.equal(result.score.overall, 100);
    });
  }

  const wrong: Array<[why: string, answers: string[], typed: string]> = [
    ["a wrong particle", accepted, "저가 학생이에요"],
    ["a wrong vowel", accepted, "저는 학생이에오"],
    ["a missing word", ["저는 학생이 아니에요"], "저는 학생이에요"],
    ["an extra word that changes the meaning", accepted, "저는 학생이 아니에요"],
    ["another sentence", accepted, "안녕하세요"],
    ["a plain consonant for a tense one", ["빵 주세요"], "방 주세요"],
    ["an empty answer", accepted, ""],
  ];
  for (const [why, answers, typed] of wrong) {
    it(`rejects ${why}: "${typed}"`, () => {
      const result = checkTypedAnswer(answers, typed);
      assert.equal(result.correct, false);
      assert.equal(result.matched, null);
      assert.ok(result.score.overall < 100);
      assert.ok(result.score.syllables.some((syllable) => syllable.verdict !== "correct"));
    });
  }

  it("scores against the accepted answer closest to what was typed", () => {
    const result = checkTypedAnswer(["네, 맞아요", "저는 학생이에요"], "저는 학생이에오");
    assert.equal(result.score.syllables.filter((s) => s.verdict !== "inserted").map((s) => s.target).join(""), "저는학생이에요");
    assert.ok(result.score.overall >= 80, `overall ${result.score.overall}`);
  });

  it("skips an accepted answer without Hangul when another one can be checked", () => {
    const result = checkTypedAnswer(["OK!", "네, 좋아요"], "네 좋아요");
    assert.equal(result.correct, true);
    assert.equal(result.matched, "네, 좋아요");
    assert.equal(checkTypedAnswer(["...", "네"], "아니요").correct, false);
  });

  it("refuses a step whose accepted answers have no Hangul at all", () => {
    assert.throws(() => checkTypedAnswer(["OK", "..."], "네"), { name: "KotoError", code: "EMPTY_TARGET" });
  });

  it("refuses a step without accepted answers", () => {
    assert.throws(() => checkTypedAnswer([], "네"), { name: "KotoError", code: "NO_ACCEPTED_ANSWERS" });
  });
});

describe("everySyllableCorrect (what makes an attempt correct)", () => {
  const rows: Array<[why: string, verdicts: string[], correct: boolean]> = [
    ["every syllable right by sound", ["correct", "correct"], true],
    ["one substituted", ["correct", "substituted"], false],
    ["one omitted", ["correct", "omitted"], false],
    ["one inserted", ["correct", "correct", "inserted"], false],
    ["nothing scored", [], false],
  ];
  for (const [why, verdicts, correct] of rows) {
    it(`${correct ? "is" : "is not"} correct: ${why}`, () => {
      assert.equal(everySyllableCorrect(verdicts.map((verdict) => ({ verdict }))), correct);
    });
  }

  it("comes with a configurable pass mark for tutor grades, 80 by default", () => {
    assert.equal(loadConfig({}).passMark, DEFAULT_PASS_MARK);
    assert.equal(DEFAULT_PASS_MARK, 80);
    assert.equal(loadConfig({ PASS_MARK: "70" }).passMark, 70);
    assert.throws(() => loadConfig({ PASS_MARK: "101" }), { code: "CONFIG_INVALID" });
  });
});
