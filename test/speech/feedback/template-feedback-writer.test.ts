import assert from "node:assert/strict";
import type { FeedbackRequest, LearnerLanguage, SyllableComparison } from "../../../server/speech/feedback/feedback-writer.ts";
import {
  soundsToCompare,
  TemplateFeedbackWriter,
  wordContaining,
} from "../../../server/speech/feedback/template-feedback-writer.ts";

/** Verdicts for `target` where every syllable is correct except the ones listed. */
function verdicts(target: string, changes: Record<number, Partial<SyllableComparison>>, inserted: string[] = []): SyllableComparison[] {
  const syllables = Array.from(target.replace(/[^\uAC00-\uD7A3]/gu, ""));
  const compared: SyllableComparison[] = syllables.map((syllable, index) => ({
    index,
    target: syllable,
    heard: syllable,
    verdict: "correct",
    ...changes[index],
  }));
  for (const heard of inserted) compared.push({ index: null, target: "", heard, verdict: "inserted" });
  return compared;
}

const request = (learnerLanguage: LearnerLanguage, target: string, syllables: SyllableComparison[], transcript = "들린 말"): FeedbackRequest => ({
  target,
  transcript,
  learnerLanguage,
  syllables,
  overall: 70,
});

describe("TemplateFeedbackWriter", () => {
  const writer = new TemplateFeedbackWriter();

  const table: { name: string; language: LearnerLanguage; target: string; syllables: SyllableComparison[]; transcript?: string; tip: string }[] = [
    {
      name: "a vowel heard as another",
      language: "en",
      target: "저는 학생입니다",
      syllables: verdicts("저는 학생입니다", { 0: { heard: "조", verdict: "substituted" } }),
      tip: "Listen again to 어 in 저는: you said 오.",
    },
    {
      name: "a vowel heard as another",
      language: "id",
      target: "저는 학생입니다",
      syllables: verdicts("저는 학생입니다", { 0: { heard: "조", verdict: "substituted" } }),
      tip: "Dengarkan lagi 어 pada 저는: kamu mengucapkan 오.",
    },
    {
      name: "a plain consonant heard as aspirated",
      language: "en",
      target: "감사합니다",
      syllables: verdicts("감사합니다", { 0: { heard: "캄", verdict: "substituted" } }),
      tip: "Listen again to ㄱ in 감사합니다: you said ㅋ.",
    },
    {
      name: "a final consonant heard as another",
      language: "id",
      target: "저는 학생입니다",
      syllables: verdicts("저는 학생입니다", { 4: { heard: "임", verdict: "substituted" } }),
      tip: "Dengarkan lagi ㅂ pada 학생입니다: kamu mengucapkan ㅁ.",
    },
    {
      name: "a syllable wrong in two sounds",
      language: "en",
      target: "저는 학생입니다",
      syllables: verdicts("저는 학생입니다", { 3: { heard: "산", verdict: "substituted" } }),
      tip: "Listen again to 생 in 학생입니다: you said 산.",
    },
    {
      name: "a skipped syllable",
      language: "en",
      target: "저는 학생입니다",
      syllables: verdicts("저는 학생입니다", { 1: { heard: "", verdict: "omitted" } }),
      tip: "Don't skip 는 in 저는.",
    },
    {
      name: "a skipped syllable",
      language: "id",
      target: "저는 학생입니다",
      syllables: verdicts("저는 학생입니다", { 1: { heard: "", verdict: "omitted" } }),
      tip: "Jangan lewatkan 는 pada 저는.",
    },
    {
      name: "an extra syllable",
      language: "en",
      target: "감사합니다",
      syllables: verdicts("감사합니다", {}, ["요"]),
      tip: "You added an extra 요; leave it out.",
    },
    {
      name: "an extra syllable",
      language: "id",
      target: "감사합니다",
      syllables: verdicts("감사합니다", {}, ["요"]),
      tip: "Ada tambahan 요; ucapkan tanpa suku kata itu.",
    },
    {
      name: "every syllable right",
      language: "en",
      target: "안녕하세요",
      syllables: verdicts("안녕하세요", {}),
      tip: "Well done: every syllable of 안녕하세요 came through clearly.",
    },
    {
      name: "every syllable right",
      language: "id",
      target: "안녕하세요",
      syllables: verdicts("안녕하세요", {}),
      tip: "Bagus sekali: setiap suku kata 안녕하세요 terdengar jelas.",
    },
    {
      name: "two mistakes, named in order",
      language: "en",
      target: "저는 학생입니다",
      syllables: verdicts("저는 학생입니다", { 0: { heard: "조", verdict: "substituted" }, 6: { heard: "", verdict: "omitted" } }),
      tip: "Listen again to 어 in 저는: you said 오. Don't skip 다 in 학생입니다.",
    },
    {
      name: "more than two mistakes",
      language: "en",
      target: "저는 학생입니다",
      syllables: verdicts("저는 학생입니다", { 0: { heard: "조", verdict: "substituted" }, 1: { heard: "", verdict: "omitted" }, 5: { heard: "", verdict: "omitted" } }),
      tip: "Listen again to 어 in 저는: you said 오. Don't skip 는 in 저는. Then say the whole sentence again, slowly.",
    },
    {
      name: "more than two mistakes",
      language: "id",
      target: "저는 학생입니다",
      syllables: verdicts("저는 학생입니다", { 0: { heard: "조", verdict: "substituted" }, 1: { heard: "", verdict: "omitted" }, 5: { heard: "", verdict: "omitted" } }),
      tip: "Dengarkan lagi 어 pada 저는: kamu mengucapkan 오. Jangan lewatkan 는 pada 저는. Lalu ucapkan seluruh kalimat lagi pelan-pelan.",
    },
    {
      name: "nothing heard",
      language: "en",
      target: "안녕하세요",
      syllables: verdicts("안녕하세요", { 0: { heard: "", verdict: "omitted" } }),
      transcript: "  ",
      tip: "We could not hear you this time; try again a little closer to the microphone.",
    },
    {
      name: "nothing heard",
      language: "id",
      target: "안녕하세요",
      syllables: [],
      transcript: "",
      tip: "Suaramu belum terdengar; coba lagi sedikit lebih dekat ke mikrofon.",
    },
    {
      name: "a mistake in a word followed by punctuation",
      language: "en",
      target: "네, 맞아요.",
      syllables: verdicts("네, 맞아요.", { 3: { heard: "여", verdict: "substituted" } }),
      tip: "Listen again to 요 in 맞아요: you said 여.",
    },
  ];

  for (const row of table) {
    it(`${row.language}: ${row.name}`, async () => {
      const feedback = await writer.write(request(row.language, row.target, row.syllables, row.transcript));
      assert.deepEqual(feedback, { tip: row.tip, source: "template" });
    });
  }

  it("keeps tips within maxTipChars", async () => {
    const target = "저는 한국어를 배우는 학생입니다 ".repeat(10).trim();
    const short = new TemplateFeedbackWriter({ maxTipChars: 60 });
    const { tip } = await short.write(request("en", target, verdicts(target, {})));
    assert.ok(Array.from(tip).length <= 60);
    assert.ok(tip.startsWith("Well done: every syllable of 저는"));
  });
});

describe("wordContaining", () => {
  const table: { target: string; index: number | null; syllable: string; word: string | undefined }[] = [
    { target: "저는 학생입니다", index: 0, syllable: "저", word: "저는" },
    { target: "저는 학생입니다", index: 3, syllable: "생", word: "학생입니다" },
    { target: "네, 맞아요.", index: 1, syllable: "맞", word: "맞아요" },
    // The index points elsewhere: the first word holding the syllable.
    { target: "저는 학생입니다", index: 0, syllable: "생", word: "학생입니다" },
    { target: "저는 학생입니다", index: null, syllable: "는", word: "저는" },
    { target: "저는 학생입니다", index: 9, syllable: "요", word: undefined },
    { target: "저는 학생입니다", index: null, syllable: "", word: undefined },
  ];
  for (const row of table) {
    it(`finds ${row.syllable || "nothing"} (#${row.index}) in ${row.target}: ${row.word ?? "no word"}`, () => {
      assert.equal(wordContaining(row.target, row.index, row.syllable), row.word);
    });
  }
});

describe("soundsToCompare", () => {
  const table: { target: string; heard: string; expected: { target: string; heard: string } }[] = [
    { target: "저", heard: "조", expected: { target: "어", heard: "오" } },
    { target: "과", heard: "가", expected: { target: "와", heard: "아" } },
    { target: "감", heard: "캄", expected: { target: "ㄱ", heard: "ㅋ" } },
    { target: "입", heard: "임", expected: { target: "ㅂ", heard: "ㅁ" } },
    { target: "전", heard: "저", expected: { target: "전", heard: "저" } },
    { target: "생", heard: "산", expected: { target: "생", heard: "산" } },
    { target: "값", heard: "갑", expected: { target: "값", heard: "갑" } },
    { target: "a", heard: "오", expected: { target: "a", heard: "오" } },
  ];
  for (const row of table) {
    it(`${row.target} heard as ${row.heard}: compare ${row.expected.target} with ${row.expected.heard}`, () => {
      assert.deepEqual(soundsToCompare(row.target, row.heard), row.expected);
    });
  }
});
