import assert from "node:assert/strict";
import { setLanguage, t } from "../../web-client/src/i18n.ts";
import { statusLabel } from "../../web-client/src/views/attempt-parts.ts";
import { describeChange, resultLook, syllableTone, verdictDetails, type ResultEvidence } from "../../web-client/src/views/lesson/result-rule.ts";
import { everySyllableCorrect, scoreUtterance } from "../../server/speech/scoring/index.ts";

/** A scored attempt as the client sees it, from the real scorer. */
function scored(target: string, heard: string): ResultEvidence & { syllables: Array<{ index: number; target: string; heard: string; verdict: string; jamo: string }> } {
  const score = scoreUtterance(target, heard);
  return {
    status: "scored", overall: score.overall, tutorScore: -1, correct: everySyllableCorrect(score.syllables),
    syllables: score.syllables.map((syllable) => ({
      index: syllable.index ?? -1, target: syllable.target, heard: syllable.heard, verdict: syllable.verdict,
      jamo: (syllable.jamo ?? []).map((change) => `${change.expected}>${change.heard}`).join(","),
    })),
  };
}

describe("web client: the result card's one rule", () => {
  afterEach(() => setLanguage("en"));

  const looks: Array<[why: string, attempt: ResultEvidence, title: string, band: string]> = [
    ["every syllable right", scored("감사합니다", "감사함니다"), "wellDone", "band-good"],
    ["ㅓ for ㅗ on one syllable of a long line: never green, never 'well done'", scored("저는 한국 음식을 정말 좋아해요", "저는 한국 음식을 정말 조아해오"), "notQuite", "band-fair"],
    ["a different sentence", scored("안녕하세요", "고맙습니다"), "notQuite", "band-poor"],
    ["a tutor grade at the pass mark", { ...scored("안녕하세요", "안녕하세오"), tutorScore: 85 }, "wellDone", "band-good"],
    ["a tutor grade below it", { ...scored("안녕하세요", "안녕하세오"), tutorScore: 70 }, "notQuite", "band-fair"],
    ["awaiting a tutor, ungraded", { status: "awaiting-tutor", overall: -1, tutorScore: -1, correct: false, syllables: [] }, "titleAwaitingTutor", "band-poor"],
    ["awaiting a tutor, then graded 90", { status: "awaiting-tutor", overall: -1, tutorScore: 90, correct: false, syllables: [] }, "wellDone", "band-good"],
    ["the server's own verdict wins (its pass mark may differ)", { ...scored("안녕하세요", "안녕하세오"), tutorScore: 75, passed: true }, "wellDone", "band-good"],
  ];
  for (const [why, attempt, title, band] of looks) {
    it(`${title}, ${band}: ${why}`, () => {
      const look = resultLook(attempt);
      assert.equal(look.title, title);
      assert.equal(look.band, band);
      assert.equal(look.passed, band === "band-good");
    });
  }

  const unscored: Array<[status: string, title: string, badge: string]> = [
    ["recording", "Listening…", "Recording"],
    ["evaluating", "Checking your answer…", "Checking"],
    ["failed", "We could not check this answer", "Not scored"],
    ["awaiting-tutor", "Saved for your tutor to grade", "Awaiting grade"],
  ];
  for (const [status, title, badge] of unscored) {
    it(`titles a ${status} card "${title}" beside a "${badge}" badge, never the same words (English and Indonesian)`, () => {
      const look = resultLook({ status, overall: -1, tutorScore: -1, correct: false, syllables: [] });
      assert.deepEqual([t(look.title), statusLabel(status)], [title, badge]);
      setLanguage("id");
      assert.notEqual(t(look.title), statusLabel(status));
    });
  }

  it("never shows a green score under a title that is not 'well done', over many real results", () => {
    const lines = ["안녕하세요", "감사합니다", "저는 학생이에요", "커피 한 잔 주세요", "같이 가요"];
    const heards = ["", "네", "안녕하세오", "감사합니다", "저는 학생이에요", "커피 한 잔 주세오", "가치 가요", "가티 가요", "같이 가요"];
    for (const line of lines) {
      for (const heard of heards) {
        const look = resultLook(scored(line, heard));
        assert.equal(look.band === "band-good", look.title === "wellDone", `${line} / ${heard}`);
      }
    }
  });

  const tones: Array<[syllable: { verdict: string; jamo: string }, tone: string]> = [
    [{ verdict: "correct", jamo: "" }, "good"],
    [{ verdict: "substituted", jamo: "ㅓ>ㅗ" }, "fair"],
    [{ verdict: "substituted", jamo: "ㅂ>" }, "fair"],
    [{ verdict: "substituted", jamo: "ㄱ>ㅇ,ㅏ>ㅣ" }, "poor"],
    [{ verdict: "omitted", jamo: "" }, "poor"],
    [{ verdict: "inserted", jamo: "" }, "poor"],
  ];
  for (const [syllable, tone] of tones) {
    it(`colours a syllable ${syllable.verdict} ${syllable.jamo || "-"} ${tone}`, () => assert.equal(syllableTone(syllable), tone));
  }

  const changes: Array<[expected: string, heard: string, en: string, id: string]> = [
    ["ㅓ", "ㅗ", "Say ㅓ, not ㅗ", "Ucapkan ㅓ, bukan ㅗ"],
    ["ㄲ", "ㄱ", "Say ㄲ (tense), not ㄱ (plain)", "Ucapkan ㄲ (tegang), bukan ㄱ (biasa)"],
    ["ㅊ", "ㅈ", "Say ㅊ (aspirated), not ㅈ (plain)", "Ucapkan ㅊ (beraspirasi), bukan ㅈ (biasa)"],
    ["ㅂ", "", "End the syllable with ㅂ", "Akhiri suku kata dengan ㅂ"],
    ["", "ㅁ", "No final ㅁ here", "Tanpa konsonan akhir ㅁ di sini"],
  ];
  for (const [expected, heard, en, id] of changes) {
    it(`says what to change for ${expected || "∅"} heard as ${heard || "∅"}, in English and Indonesian`, () => {
      assert.equal(describeChange({ expected, heard }), en);
      setLanguage("id");
      assert.equal(describeChange({ expected, heard }), id);
    });
  }

  it("names the word with its standard pronunciation in brackets where spelling and sound differ", () => {
    const attempt = scored("같이 가요", "가티 가요");
    assert.deepEqual(verdictDetails("같이 가요", attempt.syllables), [
      "같이 [가치]: we heard “티” for “이”. Say ㅊ, not ㅌ.",
    ]);
    const missing = scored("감사합니다", "감사니다");
    assert.deepEqual(verdictDetails("감사합니다", missing.syllables), ["감사합니다 [감사함니다]: “합” was not heard."]);
    setLanguage("id");
    const extra = scored("네", "네네");
    assert.deepEqual(verdictDetails("네", extra.syllables), ["“네” berlebih."]);
    const vowel = scored("어머니", "오머니");
    assert.deepEqual(verdictDetails("어머니", vowel.syllables), ["어머니: terdengar “오”, bukan “어”. Ucapkan ㅓ, bukan ㅗ."]);
  });
});
