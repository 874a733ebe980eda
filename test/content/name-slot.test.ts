import assert from "node:assert/strict";
import { fillNameSlot, resolveNameSlot, strayBraces } from "../../server/content/name-slot.ts";
import { checkTypedAnswer } from "../../server/speech/scoring/index.ts";
import { scoreAgainstAccepted } from "../../server/speech/scoring/score.ts";

describe("the learner's name in a line ({name})", () => {
  const line = "안녕하세요. 저는 {name}예요.";
  const cases: [string, string, string][] = [
    ["their own Korean name", "안녕하세요 저는 부디예요", "안녕하세요. 저는 부디예요."],
    ["a long foreign name", "안녕하세요. 저는 크리스티나예요.", "안녕하세요. 저는 크리스티나예요."],
    ["the model's example name", "안녕하세요. 저는 에밀리예요.", "안녕하세요. 저는 에밀리예요."],
    ["a frame said a little wrong", "안녕하세오. 저는 민준이에요.", "안녕하세요. 저는 민준이예요."],
    ["no name at all: the example name", "안녕하세요 저는", "안녕하세요. 저는 에밀리예요."],
  ];
  for (const [what, heard, target] of cases) {
    it(`scores against ${what}`, () => assert.equal(resolveNameSlot(line, heard, "에밀리"), target));
  }

  it("leaves lines without the slot alone and fills every slot", () => {
    assert.equal(resolveNameSlot("감사합니다.", "감사함니다"), "감사합니다.");
    assert.equal(fillNameSlot("{name} 씨, {name}!", "사리"), "사리 씨, 사리!");
    assert.ok(strayBraces("{nama}예요") && !strayBraces("{name}예요"));
  });

  it("gives a learner saying their own name the score the model line gets", () => {
    const model = checkTypedAnswer(["안녕하세요. 저는 에밀리예요."], "안녕하세요. 저는 에밀리예요.");
    const own = checkTypedAnswer([line], "안녕하세요. 저는 부디예요.");
    assert.ok(own.correct);
    assert.equal(own.score.overall, model.score.overall);
    assert.equal(scoreAgainstAccepted([line], "안녕하세요 저는 하루토예요").score.overall, scoreAgainstAccepted(["안녕하세요. 저는 에밀리예요."], "안녕하세요 저는 에밀리예요").score.overall);
  });

  it("shows an answer that names no one against a line with the example name, never a line with a hole in it", () => {
    const accepted = [line, "안녕하세요. 저는 {name}입니다.", "안녕하세요. {name}예요.", "안녕하세요. {name}입니다."];
    const typed = checkTypedAnswer(accepted, "바나나", "사리");
    assert.equal(typed.correct, false);
    const target = typed.score.syllables.map((syllable) => syllable.target).join("");
    assert.match(target, /사리/, `scored against ${target}`);
    assert.match(scoreAgainstAccepted(accepted, "바나나", undefined, "사리").answer, /사리/);
  });
});
