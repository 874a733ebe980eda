import assert from "node:assert/strict";
import { alignSyllables, GAP_COST } from "../../../server/speech/scoring/alignment.ts";
import { syllableDistance } from "../../../server/speech/scoring/similarity.ts";

const render = (target: string, heard: string) =>
  alignSyllables(Array.from(target), Array.from(heard))
    .steps.map((step) =>
      step.kind === "paired" ? `${target[step.target]}=${heard[step.heard]}`
        : step.kind === "omitted" ? `-${target[step.target]}` : `+${heard[step.heard]}`)
    .join(" ");

describe("alignSyllables", () => {
  const table: Array<[target: string, heard: string, steps: string]> = [
    ["가나다", "가나다", "가=가 나=나 다=다"],
    ["가나다", "가다", "가=가 -나 다=다"],
    ["가다", "가나다", "가=가 +나 다=다"],
    ["네", "네네", "네=네 +네"],
    ["안녕", "", "-안 -녕"],
    ["", "안녕", "+안 +녕"],
    // A near miss pairs up rather than splitting into a gap on each side.
    ["고기", "거기", "고=거 기=기"],
    ["학생이에요", "학새이에요", "학=학 생=새 이=이 에=에 요=요"],
  ];
  for (const [target, heard, steps] of table) {
    it(`${target || "(nothing)"} / ${heard || "(nothing)"}: ${steps}`, () => assert.equal(render(target, heard), steps));
  }
});

describe("syllableDistance", () => {
  it("is 0 for the same syllable, symmetric, and at most 1", () => {
    const syllables = Array.from("가까카나다따타라마바빠파사싸아자짜차하어오우으이의애에왜웨외각간갇갈감갑강닭값");
    for (const a of syllables) {
      assert.equal(syllableDistance(a, a), 0);
      for (const b of syllables) {
        const distance = syllableDistance(a, b);
        assert.equal(distance, syllableDistance(b, a));
        assert.ok(distance >= 0 && distance <= 1, `${a}/${b}: ${distance}`);
        if (a !== b) assert.ok(distance > 0, `${a}/${b}`);
      }
    }
  });

  it("ranks near misses closer than unrelated sounds", () => {
    const closer: Array<[string, string, string]> = [
      ["가", "카", "나"], ["가", "까", "마"], ["다", "타", "사"], ["바", "빠", "하"], ["사", "싸", "가"],
      ["어", "오", "이"], ["으", "우", "아"], ["개", "게", "가"], ["밥", "바", "반"], ["안", "앙", "알"],
    ];
    for (const [target, near, far] of closer) {
      assert.ok(syllableDistance(target, near) < syllableDistance(target, far), `${target}: ${near} before ${far}`);
    }
  });

  it("keeps one near miss cheaper than a gap, so it is reported as a substitution", () => {
    assert.ok(syllableDistance("가", "카") < GAP_COST);
    assert.ok(syllableDistance("어", "오") < GAP_COST);
  });
});
