import assert from "node:assert/strict";
import { chooseDialogueRole } from "../../rooms/lesson/lesson-flow.ts";

describe("chooseDialogueRole", () => {
  const table: { taken: ("A" | "B")[]; played?: "A" | "B"; expected: "A" | "B" | null; why: string }[] = [
    { taken: [], expected: "B", why: "the first learner plays the lesson's learner role" },
    { taken: ["B"], expected: "A", why: "the second learner plays the partner" },
    { taken: ["A", "B"], expected: null, why: "no role is left" },
    { taken: [], played: "A", expected: "A", why: "a learner who played the partner gets it back, even first" },
    { taken: ["A"], played: "B", expected: "B", why: "a remembered role that is free" },
    { taken: ["A"], played: "A", expected: "B", why: "a remembered role someone else took: the free one" },
    { taken: ["A", "B"], played: "A", expected: null, why: "a full pair stays full" },
  ];
  for (const row of table) {
    it(`${row.why}`, () => {
      assert.equal(chooseDialogueRole(row.taken, "B", row.played), row.expected);
    });
  }
});
