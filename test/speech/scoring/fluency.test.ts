import assert from "node:assert/strict";
import { fluencyScore } from "../../../server/speech/scoring/index.ts";
import { pausePenalty, rateScore, speechRate } from "../../../server/speech/scoring/fluency.ts";

describe("fluencyScore", () => {
  // [syllables heard, speaking ms, pauses, lowest, highest]
  const table: Array<[string, number, number, number[], number, number]> = [
    ["a steady beginner pace (3 syllables/s)", 9, 3000, [], 100, 100],
    ["native speed (6.5 syllables/s)", 13, 2000, [], 100, 100],
    ["the slow end of the band (2 syllables/s)", 4, 2000, [], 100, 100],
    ["slow, one syllable a second", 5, 5000, [], 25, 45],
    ["a syllable every two seconds", 2, 4000, [], 0, 0],
    ["a gabble (10 syllables/s)", 20, 2000, [], 60, 80],
    ["a short breath between phrases", 9, 3000, [300, 450], 100, 100],
    ["one long hesitation", 9, 3000, [1500], 70, 85],
    ["two long hesitations", 9, 3000, [1500, 2000], 50, 70],
    ["stop-and-go: many long pauses", 9, 3000, [3000, 3000, 3000, 3000], 35, 45],
    ["slow and hesitant", 5, 5000, [2000, 2000], 0, 10],
    ["nothing heard", 0, 0, [], 0, 0],
  ];
  for (const [name, syllables, speechMs, pauses, lowest, highest] of table) {
    it(name, () => {
      const score = fluencyScore(syllables, { speechMs, pauses });
      assert.ok(Number.isInteger(score) && score >= lowest && score <= highest, `${score} not within ${lowest}-${highest}`);
    });
  }

  it("falls as the rate drops below the band and as pauses grow", () => {
    const rates = [2, 1.5, 1, 0.75].map((rate) => fluencyScore(10, { speechMs: (10 / rate) * 1000, pauses: [] }));
    assert.deepEqual([...rates].sort((a, b) => b - a), rates);
    assert.ok(rates[0] > rates[3]);
    const pauses = [0, 600, 1200, 2400].map((pause) => fluencyScore(9, { speechMs: 3000, pauses: [pause] }));
    assert.deepEqual([...pauses].sort((a, b) => b - a), pauses);
    assert.ok(pauses[0] > pauses[3]);
  });

  it("measures the rate over speaking time", () => {
    assert.equal(speechRate(10, { speechMs: 2500, pauses: [4000] }), 4);
    assert.equal(speechRate(10, { speechMs: 0, pauses: [] }), 0);
    assert.equal(rateScore(4), 100);
    assert.equal(pausePenalty([499]), 0);
    assert.ok(pausePenalty([500]) > 0);
    assert.equal(pausePenalty(new Array(10).fill(5000)), 60);
  });

  it("refuses timing that is not a duration", () => {
    for (const timing of [
      { speechMs: -1, pauses: [] },
      { speechMs: Number.NaN, pauses: [] },
      { speechMs: 1000, pauses: [-5] },
      { speechMs: 1000, pauses: [Number.POSITIVE_INFINITY] },
    ]) {
      assert.throws(() => fluencyScore(3, timing), { name: "KotoError", code: "INVALID_TIMING" }, JSON.stringify(timing));
    }
  });
});
