import assert from "node:assert/strict";
import { commonWords, dictionaryPieces, isFutureModifier, wordFacts } from "../../../server/speech/scoring/lexicon.ts";
import { hanjaMask } from "../../../server/speech/scoring/lexicon/build-common-words.ts";

describe("the common-words dictionary", () => {
  it("holds thousands of words with parts of speech, and Hanja for the Sino-Korean ones", () => {
    const words = commonWords();
    assert.ok(words.size > 5000, `${words.size} words`);
    assert.equal(words.get("갈등")?.hanja, "葛藤");
    assert.deepEqual([...words.get("하다")!.parts], ["verb"]);
    assert.equal(words.get("발달하다")?.hanja, "發達--");
  });

  const masks: Array<[word: string, field: string, mask: string]> = [
    ["발달", "發\\n達\\n", "發達"],
    ["발달하다", "發\\n達\\n-", "發達--"],
    ["노란색", "-色", "--色"],
    ["사랑", "\\N", "--"],
    ["버스", "bus\\n", "--"],
    ["과일", "과\\n일\\n", "--"],
  ];
  for (const [word, field, mask] of masks) {
    it(`reads the Hanja column ${JSON.stringify(field)} of ${word} as ${mask}`, () => assert.equal(hanjaMask(word, field), mask));
  }

  const modifiers: Array<[word: string, modifier: boolean]> = [
    ["할", true], ["갈", true], ["만날", true], ["먹을", true], ["있을", true], ["만들", true], ["가실", true],
    ["서울", false], ["오늘", false], ["일", false], ["사람", false], ["하늘", false],
  ];
  for (const [word, modifier] of modifiers) {
    it(`${modifier ? "reads" : "does not read"} ${word} as a future modifier -(으)ㄹ`, () => assert.equal(isFutureModifier(word), modifier));
  }

  const facts: Array<[word: string, tensing: Array<[number, string]>, seams: Array<[number, string]>]> = [
    ["갈등", [[1, "required"]], []],
    ["감사", [[1, "never"]], []],
    ["한국어", [], []],
    ["안고", [[1, "required"]], []],
    ["신고", [[1, "allowed"]], []],
    ["남자", [[1, "never"]], []],
    ["안기다", [[1, "never"]], []],
    ["할수록", [[1, "required"]], []],
    // 제28항: a compound the dictionary finds may be tensed; the standard's listed ones are; simple words are not.
    ["산길", [[1, "allowed"]], []],
    ["손바닥", [[1, "allowed"]], []],
    ["봄비", [[1, "allowed"]], []],
    ["문고리", [[1, "required"]], []],
    ["아침밥을", [[2, "required"]], []],
    ["잠자리", [[1, "allowed"]], []],
    ["불고기", [[1, "never"]], []],
    ["안개", [], []],
    ["신발", [], []],
    ["그림자", [], []],
    ["사람도", [], []],
    ["사람답다", [], []],
    ["정수기", [], []],
    ["점심시간", [], []],
    ["환경보호", [], []],
    ["노란색", [], []],
    ["열개", [], []],
    // 제25항: a stem in ㄹ does not tense -다.
    ["멀다", [[1, "never"]], []],
    // 제29항 다만: a repeated word takes ㄴ or is said as written.
    ["이죽이죽", [], [[2, "nieunOrLink"]]],
    ["욜랑욜랑", [], [[2, "nieunOrLink"]]],
    ["사람입니다", [], []],
    ["지하철역", [], [[3, "nieunOrNeutral"]]],
    ["부산역", [], [[2, "nieunOrNeutral"]]],
    ["한국이", [], []],
    ["솜이불", [], [[1, "nieun"]]],
  ];
  for (const [word, tensing, seams] of facts) {
    it(`knows ${word}: ${dictionaryPieces(word).map((piece) => piece.word).join(" + ") || "no dictionary word"}`, () => {
      const found = wordFacts(word);
      assert.deepEqual([...found.tensing], tensing);
      assert.deepEqual([...found.compoundSeams], seams);
    });
  }
});
