import assert from "node:assert/strict";
import { cleanTip } from "../../../server/speech/feedback/tip-text.ts";

describe("cleanTip", () => {
  const table: { name: string; text: string; maxChars: number; tip: string }[] = [
    { name: "leaves a clean tip alone", text: "Listen again to 어 in 저는.", maxChars: 240, tip: "Listen again to 어 in 저는." },
    { name: "turns newlines and tabs into single spaces", text: "Say 저는\n\n\tslowly.", maxChars: 240, tip: "Say 저는 slowly." },
    { name: "drops NUL and bell", text: "Say\u0000 저는\u0007.", maxChars: 240, tip: "Say 저는." },
    { name: "drops direction overrides and zero-width spaces", text: "\u202Eevil\u202C 저\u200B는", maxChars: 240, tip: "evil 저는" },
    { name: "keeps emoji joined", text: "Great job 👩\u200D🏫", maxChars: 240, tip: "Great job 👩\u200D🏫" },
    { name: "cuts at a word boundary near the end", text: "one two three four five six", maxChars: 16, tip: "one two three…" },
    { name: "cuts mid-word when no space is near the end", text: "저는학생입니다저는학생입니다", maxChars: 8, tip: "저는학생입니다…" },
    { name: "never splits an emoji", text: "ab👩\u200D🏫cd", maxChars: 4, tip: "ab👩\u200D🏫…" },
  ];
  for (const row of table) {
    it(row.name, () => {
      assert.equal(cleanTip(row.text, row.maxChars), row.tip);
    });
  }
});
