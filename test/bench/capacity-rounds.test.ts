import assert from "node:assert/strict";
import { median, medianRatios, roundRatios, type RampOutcome } from "../../bench/lib/capacity-rounds.ts";

const ramp = (round: number, variant: string, levels: [number, boolean, number, number?][]): RampOutcome => {
  const passed = levels.filter(([, ok]) => ok).map(([sessions]) => sessions);
  return {
    round, variant, sessions: passed.length ? Math.max(...passed) : null,
    levels: levels.map(([sessions, ok, busy, loop]) => ({ sessions, passed: ok, machineBusyPercent: busy, eventLoopCpuPercent: loop ?? null })),
  };
};

describe("bench: capacity across rounds", () => {
  it("takes the median of an odd and of an even count, and none of nothing", () => {
    assert.equal(median([0.5, 1, 0.6]), 0.6);
    assert.equal(median([0.5, 0.6]), 0.55);
    assert.equal(median([]), null);
  });

  it("divides within each round, so a slower round does not mix with a faster one", () => {
    const outcomes = [
      ramp(1, "bare-uws", [[100, true, 20, 15], [200, true, 40], [300, false, 70]]),
      ramp(1, "lesson-uws", [[100, true, 30, 30], [200, false, 80]]),
      ramp(2, "lesson-uws", [[100, true, 45], [200, true, 90], [300, false, 99]]),
      ramp(2, "bare-uws", [[100, true, 30], [200, true, 60], [300, true, 90], [400, false, 99]]),
    ];
    const rounds = roundRatios(outcomes, "lesson-uws");
    assert.deepEqual(rounds, [
      { round: 1, capacity: 0.5, costPerSession: 1.5, eventLoopPerSession: 2, atSessions: 100 },
      { round: 2, capacity: 0.67, costPerSession: 1.5, eventLoopPerSession: null, atSessions: 200 },
    ]);
    assert.deepEqual(medianRatios(rounds), { capacity: 0.59, costPerSession: 1.5, eventLoopPerSession: 2 });
  });

  it("leaves out a round missing a variant, and gives no ratio where the lesson room passed nothing", () => {
    const outcomes = [
      ramp(1, "bare-uws", [[100, true, 20], [200, false, 50]]),
      ramp(1, "lesson-uws", [[100, false, 60]]),
      ramp(2, "bare-uws", [[100, true, 20]]),
    ];
    assert.deepEqual(roundRatios(outcomes, "lesson-uws"), [{ round: 1, capacity: null, costPerSession: null, eventLoopPerSession: null, atSessions: null }]);
    assert.deepEqual(medianRatios(roundRatios(outcomes, "lesson-uws")), { capacity: null, costPerSession: null, eventLoopPerSession: null });
  });
});
