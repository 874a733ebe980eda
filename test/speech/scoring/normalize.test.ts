import assert from "node:assert/strict";
import { normalizeKorean } from "../../../server/speech/scoring/index.ts";
import { normalizedReadings } from "../../../server/speech/scoring/normalize.ts";
import { nativeKoreanNumber, numberReadings, sinoKoreanNumber } from "../../../server/speech/scoring/numbers.ts";

describe("normalizeKorean", () => {
  const table: Array<[written: string, normalized: string]> = [
    ["안녕하세요!", "안녕하세요"],
    ["안녕하세요?!", "안녕하세요"],
    ["  안녕   하세요  ", "안녕 하세요"],
    ["네, 저는 학생이에요.", "네 저는 학생이에요"],
    ["감사합니다~~", "감사합니다"],
    ["진짜요…", "진짜요"],
    ["좋아요 ㅋㅋㅋ", "좋아요"],
    ["괜찮아요ㅠㅠ", "괜찮아요"],
    ["「안녕」", "안녕"],
    ["안녕！", "안녕"],
    ["KTX 타요", "ktx 타요"],
    ["3층이에요", "삼층이에요"],
    ["２층", "이층"],
    ["2024년", "이천이십사년"],
    ["0", "영"],
    ["10", "십"],
    ["11", "십일"],
    ["100원", "백원"],
    ["1000", "천"],
    ["1,000원", "천원"],
    ["9999", "구천구백구십구"],
    ["10000", "만"],
    ["12345", "만이천삼백사십오"],
    ["100000000", "일억"],
    ["3.5", "삼점오"],
    ["6월", "유월"],
    ["10월", "시월"],
    ["010", "공일공"],
    // Jamo typed separately (decomposed, as some keyboards send them) compose to syllables.
    ["\u1100\u1161\u11a8", "각"],
  ];
  for (const [written, normalized] of table) {
    it(`${JSON.stringify(written)} -> ${normalized}`, () => assert.equal(normalizeKorean(written), normalized));
  }

  it("is idempotent", () => {
    for (const [written] of table) assert.equal(normalizeKorean(normalizeKorean(written)), normalizeKorean(written));
  });
});

describe("normalizedReadings", () => {
  it("reads a number before a counter natively as well", () => {
    assert.deepEqual(normalizedReadings("3시에 만나요", 4), ["삼시에 만나요", "세시에 만나요"]);
    assert.deepEqual(normalizedReadings("20살", 4), ["이십살", "스무살"]);
    assert.deepEqual(normalizedReadings("1, 2, 3", 8).slice(0, 2), ["일 이 삼", "하나 이 삼"]);
  });

  it("stops at the limit", () => {
    assert.equal(normalizedReadings("1 2 3 4 5 6", 4).length, 4);
    assert.deepEqual(normalizedReadings("안녕", 4), ["안녕"]);
  });
});

describe("numbers", () => {
  it("reads Sino-Korean numbers from 0 to 9999 the way they are said", () => {
    const table: Array<[number, string]> = [
      [0, "영"], [1, "일"], [9, "구"], [10, "십"], [15, "십오"], [20, "이십"], [99, "구십구"], [100, "백"], [101, "백일"],
      [110, "백십"], [111, "백십일"], [999, "구백구십구"], [1000, "천"], [1001, "천일"], [1010, "천십"], [2024, "이천이십사"],
      [5000, "오천"], [9999, "구천구백구십구"], [10001, "만일"], [20000, "이만"], [1_0000_0000, "일억"],
    ];
    for (const [value, reading] of table) assert.equal(sinoKoreanNumber(value), reading, String(value));
  });

  it("reads 1-99 natively, with the counter forms", () => {
    const table: Array<[number, boolean, string | undefined]> = [
      [1, false, "하나"], [1, true, "한"], [2, true, "두"], [3, true, "세"], [4, true, "네"], [5, true, "다섯"],
      [10, false, "열"], [11, true, "열한"], [20, false, "스물"], [20, true, "스무"], [21, true, "스물한"], [99, false, "아흔아홉"],
      [0, false, undefined], [100, false, undefined],
    ];
    for (const [value, beforeCounter, reading] of table) assert.equal(nativeKoreanNumber(value, beforeCounter), reading, `${value}`);
  });

  it("offers only the Sino-Korean reading for decimals, large numbers and months", () => {
    assert.deepEqual(numberReadings("3.5", ""), ["삼점오"]);
    assert.deepEqual(numberReadings("150", "명"), ["백오십"]);
    assert.deepEqual(numberReadings("6", "월"), ["유"]);
    assert.deepEqual(numberReadings("5", "월"), ["오"]);
    assert.deepEqual(numberReadings("3", "층"), ["삼"]);
    assert.deepEqual(numberReadings("5", " 명"), ["오", "다섯"]);
  });
});
