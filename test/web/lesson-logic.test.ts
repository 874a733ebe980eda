import assert from "node:assert/strict";
import { alignHeard, alignSyllables, parseJamo, verdictsFitLine, type SyllableVerdict } from "../../web-client/src/hangul.ts";
import { scoreAgainstAccepted } from "../../server/speech/scoring/index.ts";
import { describeToken } from "../../web-client/src/views/attempt-parts.ts";
import { dictionaryKeys, t } from "../../web-client/src/i18n.ts";
import { conversationFor, isMyTurn, latestAttemptOf, linesHeardBefore, serverLinesSaid } from "../../web-client/src/session/conversation.ts";
import { normalizeSnapshot, type AttemptSnapshot, type LessonSnapshot } from "../../web-client/src/session/snapshot.ts";
import { newAttemptId, Utterance } from "../../web-client/src/session/utterance.ts";
import { speechScoringOff } from "../../web-client/src/session/speech-scoring.ts";
import { turnPhase } from "../../web-client/src/session/turn-phase.ts";

const syllable = (index: number, target: string, verdict: string, heard = target, jamo = ""): SyllableVerdict => ({ index, target, heard, verdict, jamo });
const shown = (tokens: ReturnType<typeof alignSyllables>) => tokens.map((token) => (token.verdict ? `${token.text}:${token.verdict[0]}` : token.text)).join("");
const render = (line: string, syllables: SyllableVerdict[]) => shown(alignSyllables(line, syllables));
/** What the server syncs for an answer scored by the real scorer against a step's accepted answers. */
function synced(accepted: string[], heard: string, exampleName = ""): SyllableVerdict[] {
  return scoreAgainstAccepted(accepted, heard, undefined, exampleName).score.syllables.map((syllable) => ({
    index: syllable.index ?? -1, target: syllable.target, heard: syllable.heard, verdict: syllable.verdict,
    jamo: (syllable.jamo ?? []).map((change) => `${change.expected}>${change.heard}`).join(","),
  }));
}

describe("web client: colouring a line by syllable verdicts", () => {
  const table: { line: string; syllables: SyllableVerdict[]; shown: string; why: string }[] = [
    {
      why: "indices count Hangul syllables only; spaces and punctuation pass through",
      line: "네, 학생이에요.",
      syllables: [syllable(0, "네", "correct"), syllable(1, "학", "correct"), syllable(2, "생", "correct"), syllable(3, "이", "correct"), syllable(4, "에", "substituted", "애", "ㅔ>ㅐ"), syllable(5, "요", "correct")],
      shown: "네:c, 학:c생:c이:c에:s요:c.",
    },
    {
      why: "an omitted syllable keeps its place, struck through",
      line: "감사합니다",
      syllables: [syllable(0, "감", "correct"), syllable(1, "사", "omitted", ""), syllable(2, "합", "correct"), syllable(3, "니", "correct"), syllable(4, "다", "correct")],
      shown: "감:c사:o합:c니:c다:c",
    },
    {
      why: "an inserted syllable sits after the one it followed",
      line: "주세요",
      syllables: [syllable(0, "주", "correct"), syllable(-1, "", "inserted", "시"), syllable(1, "세", "correct"), syllable(2, "요", "correct")],
      shown: "주:c시:i세:c요:c",
    },
    {
      why: "a result for another accepted answer leaves the line plain (what was heard is marked instead)",
      line: "안녕하세요. 저는 사리예요.",
      syllables: [syllable(0, "저", "correct"), syllable(1, "는", "correct")],
      shown: "안녕하세요. 저는 사리예요.",
    },
    {
      why: "a result for a shorter accepted answer does not colour half the line",
      line: "안녕하세요. 저는 사리예요.",
      syllables: ["안", "녕", "하", "세", "요"].map((target, index) => syllable(index, target, "correct")),
      shown: "안녕하세요. 저는 사리예요.",
    },
    {
      why: "syllables without a verdict (evaluation pending) stay plain",
      line: "네",
      syllables: [],
      shown: "네",
    },
  ];
  for (const row of table) {
    it(row.why, () => assert.equal(render(row.line, row.syllables), row.shown));
  }

  it("tells whether the verdicts describe the line itself", () => {
    assert.equal(verdictsFitLine("네, 학생이에요.", []), true, "no verdicts yet");
    assert.equal(verdictsFitLine("감사합니다", synced(["감사합니다"], "감사함니다")), true);
    assert.equal(verdictsFitLine("안녕하세요. 저는 Budi예요.", synced(["안녕하세요. 저는 {name}예요."], "안녕 저는 부디", "에밀리")), false, "the example name");
  });

  const heardTable: { why: string; heard: string; syllables: SyllableVerdict[]; shown: string }[] = [
    {
      why: "a learner who did not say their name: their own syllables with their spaces, the missed ones where they were missed",
      heard: "안녕 저는 부디",
      syllables: synced(["안녕하세요. 저는 {name}예요.", "안녕하세요. 저는 {name}입니다.", "안녕하세요. {name}예요."], "안녕 저는 부디", "에밀리"),
      shown: "안:c녕:c하:o세:o요:o 저:c는:c 부:s밀:o디:s예:o요:o",
    },
    {
      why: "another accepted answer: what was heard, spaced as heard, the wrong syllable marked",
      heard: "저도 반갑습니다 저는 미국 사람임니까",
      syllables: synced(["저도 반가워요. 저는 미국 사람이에요.", "저도 반갑습니다. 저는 미국 사람입니다."], "저도 반갑습니다 저는 미국 사람임니까"),
      shown: "저:c도:c 반:c갑:c습:c니:c다:c 저:c는:c 미:c국:c 사:c람:c임:c니:c까:s",
    },
    {
      why: "an extra syllable is shown where it was heard",
      heard: "네 네",
      syllables: [syllable(0, "네", "correct"), syllable(-1, "", "inserted", "네")],
      shown: "네:c 네:i",
    },
    {
      why: "a transcript the scorer read otherwise (digits) keeps the verdicts' order",
      heard: "3시",
      syllables: [syllable(0, "세", "correct"), syllable(1, "시", "correct")],
      shown: "세:c시:c",
    },
  ];
  for (const row of heardTable) {
    it(`marks what was heard: ${row.why}`, () => assert.equal(shown(alignHeard(row.heard, row.syllables)), row.shown));
  }

  it("describes each box from the other side, with a missing letter written ∅", () => {
    const [onLine] = alignSyllables("밥", [syllable(0, "밥", "substituted", "바", "ㅂ>")]);
    assert.equal(describeToken(onLine!), "heard “바” · ㅂ heard as ∅");
    const [heard] = alignHeard("넴", [syllable(0, "네", "substituted", "넴", ">ㅁ")]);
    assert.equal(describeToken(heard!), "should be “네” · ∅ heard as ㅁ");
    assert.equal(t("expectedSyllable", { target: "네" }, "id"), "seharusnya “네”");
  });

  it("reads jamo changes as expected > heard pairs", () => {
    assert.deepEqual(parseJamo("ㅓ>ㅗ,ㄱ>ㅋ"), [{ expected: "ㅓ", heard: "ㅗ" }, { expected: "ㄱ", heard: "ㅋ" }]);
    assert.deepEqual(parseJamo(""), []);
    assert.equal(t("heardAs", { expected: "ㅓ", heard: "ㅗ" }, "en"), "ㅓ heard as ㅗ");
    assert.equal(t("heardAs", { expected: "ㅓ", heard: "ㅗ" }, "id"), "ㅓ terdengar sebagai ㅗ");
  });
});

describe("web client: UI strings", () => {
  it("has every English string in Indonesian, with the same placeholders", () => {
    assert.deepEqual(dictionaryKeys("id").sort(), dictionaryKeys("en").sort());
    for (const key of dictionaryKeys("en") as Parameters<typeof t>[0][]) {
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      assert.deepEqual(placeholders(t(key, {}, "id")), placeholders(t(key, {}, "en")), key);
    }
  });
});

function lesson(overrides: Partial<LessonSnapshot> = {}): LessonSnapshot {
  const step = (index: number, speaker: string, korean: string) => ({
    index, speaker, korean, romanization: "", translation: "", audioUrl: "", accepted: [korean], playedByServer: speaker === "A",
  });
  return normalizeSnapshot({
    lesson: { id: "ko-en-01-greetings", pack: "ko-en", title: "Greetings", level: "beginner", learnerLanguage: "en", automaticScoring: true },
    phase: "running",
    currentStep: 3,
    steps: [step(0, "A", "안녕하세요."), step(1, "B", "안녕하세요!"), step(2, "A", "반가워요."), step(3, "B", "저도 반가워요."), step(4, "A", "네.")],
    participants: { mina: { id: "mina", displayName: "Mina", role: "learner", platform: "web", dialogueRole: "B", connected: true, speaking: false } },
    progress: {},
    attempts: [attempt("a1", 1, true), attempt("a2", 3, false)],
    ...overrides,
  });
}

function attempt(id: string, step: number, correct: boolean): AttemptSnapshot {
  return {
    id, learnerId: "mina", step, kind: "spoken", status: "scored", text: "", correct, overall: 90, accuracy: 90, completeness: 100, fluency: 80,
    syllables: [], feedback: "", failureCode: "", failureReason: "", passed: correct, tutorScore: -1, tutorComment: "", createdAt: 0,
  };
}

describe("web client: the conversation a learner sees", () => {
  it("lists lines said so far, then the learner's own line as the prompt", () => {
    const items = conversationFor(lesson(), "mina", { A: "민수" });
    assert.deepEqual(items.map((item) => `${item.kind}:${item.step.index}`), ["partner:0", "own:1", "partner:2", "prompt:3"]);
    assert.equal(items[0].kind === "partner" && items[0].speakerName, "민수");
    assert.deepEqual(items[3].kind === "prompt" && items[3].attempts.map((candidate) => candidate.id), ["a2"]);
    assert.equal(isMyTurn(lesson(), "mina"), true);
    assert.equal(latestAttemptOf(lesson(), "mina")?.id, "a2");
  });

  it("reads out only the partner lines the server plays", () => {
    assert.deepEqual(serverLinesSaid(lesson(), "mina").map((step) => step.index), [0, 2]);
    assert.deepEqual(serverLinesSaid(lesson({ phase: "lobby" }), "mina"), []);
  });

  it("reads out only the partner line just before the learner's when a resumed lesson starts part-way", () => {
    // Resumed at step 3: line 0 is not read again; line 2, which the learner answers, is.
    assert.deepEqual(linesHeardBefore(lesson(), "mina").map((step) => step.index), [0]);
    // Started at the top: nothing is skipped (the first partner line, once played, is the prompt).
    assert.deepEqual(linesHeardBefore(lesson({ currentStep: 1, attempts: [] }), "mina"), []);
    assert.deepEqual(linesHeardBefore(lesson({ currentStep: 0, attempts: [] }), "mina"), []);
  });

  it("hands-free waits, and says so, while the line the learner answers is still playing; then listens", () => {
    const facts = { recording: null, evaluating: false, armed: true, myTurn: true, playbackBusy: true };
    assert.equal(turnPhase(facts), "waiting");
    assert.equal(turnPhase({ ...facts, playbackBusy: false }), "idle", "free to open an utterance");
    assert.equal(turnPhase({ ...facts, armed: false }), "idle", "hands-free off: the usual label");
    assert.equal(turnPhase({ ...facts, myTurn: false }), "idle", "the partner's turn is not waited on");
    assert.equal(turnPhase({ ...facts, recording: { opened: false } }), "opening");
    assert.equal(turnPhase({ ...facts, recording: { opened: true } }), "listening");
    assert.equal(turnPhase({ ...facts, evaluating: true }), "evaluating");
  });

  it("waits on the other learner in pair practice, and shows them as the partner", () => {
    const pair = lesson({ currentStep: 2 });
    pair.participants.budi = { id: "budi", displayName: "Budi", role: "learner", platform: "unity", dialogueRole: "A", connected: true, speaking: false };
    for (const step of pair.steps) step.playedByServer = false;
    const items = conversationFor(pair, "mina");
    assert.deepEqual(items.map((item) => item.kind), ["partner", "own", "waiting"]);
    assert.equal(items[2].kind === "waiting" && items[2].speakerName, "Budi");
    assert.equal(isMyTurn(pair, "mina"), false);
  });

  it("tells a line done in an earlier session from one skipped in this one", () => {
    const resumed = lesson({ attempts: [], currentStep: 3 });
    resumed.progress.mina = { ...resumed.progress.mina!, completedSteps: [1] } as never;
    const own = conversationFor(resumed, "mina").find((item) => item.kind === "own");
    assert.equal(own?.kind === "own" && own.doneEarlier, true);
    const skipped = conversationFor(lesson({ attempts: [] }), "mina").find((item) => item.kind === "own");
    assert.equal(skipped?.kind === "own" && skipped.doneEarlier, false);
  });

  it("shows the whole conversation once the lesson is finished", () => {
    assert.equal(conversationFor(lesson({ phase: "finished", currentStep: 5 }), "mina").length, 5);
  });
});

describe("web client: whether the server scores speech", () => {
  it("reads it from the room's state, so the learner is told before their first answer", () => {
    const state = (automaticScoring?: boolean) => ({ lesson: { ...normalizeSnapshot(undefined).lesson, ...(automaticScoring === undefined ? {} : { automaticScoring }) } });
    assert.equal(speechScoringOff(state(false)), true);
    assert.equal(speechScoringOff(state(true)), false);
    assert.equal(speechScoringOff(state()), false, "a first partial patch claims nothing");
  });
});

describe("web client: one spoken answer on the wire", () => {
  function transport() {
    const sent: string[] = [];
    return {
      sent,
      send: (type: string, payload?: unknown) => sent.push(payload === undefined ? type : `${type} ${JSON.stringify(payload)}`),
      sendBytes: (type: string, bytes: Uint8Array) => sent.push(`${type} #${new DataView(bytes.buffer).getUint32(0, true)}`),
    };
  }

  it("holds frames until the server opened the attempt, then numbers them from 0", () => {
    const wire = transport();
    const utterance = new Utterance(wire, 3, "hands-free", 16000);
    utterance.open();
    utterance.push(new Int16Array(320));
    utterance.push(new Int16Array(320));
    assert.equal(wire.sent.length, 1);
    assert.match(wire.sent[0], /^utterance-open \{"codec":"pcm16","sampleRate":16000,"step":3,"attemptId":"web-[0-9a-f]{32}","mode":"hands-free"\}$/);
    utterance.confirmOpened();
    utterance.push(new Int16Array(320));
    assert.deepEqual(wire.sent.slice(1), ["audio #0", "audio #1", "audio #2"]);
  });

  it("closes a push-to-talk answer released before it was opened as soon as it opens", () => {
    const wire = transport();
    const utterance = new Utterance(wire, 1, "push-to-talk", 16000);
    utterance.open();
    utterance.push(new Int16Array(320));
    utterance.release();
    utterance.push(new Int16Array(320));
    assert.equal(wire.sent.length, 1, "nothing more before utterance-opened");
    utterance.confirmOpened();
    assert.deepEqual(wire.sent.slice(1), ["audio #0", "utterance-close"]);
    assert.equal(utterance.done, true);
  });

  it("stops sending once the server ended the answer", () => {
    const wire = transport();
    const utterance = new Utterance(wire, 1, "hands-free", 16000);
    utterance.open();
    utterance.confirmOpened();
    utterance.finish();
    utterance.push(new Int16Array(320));
    utterance.release();
    assert.deepEqual(wire.sent.slice(1), []);
  });

  it("makes attempt ids the server accepts", () => {
    const ids = new Set(Array.from({ length: 50 }, newAttemptId));
    assert.equal(ids.size, 50);
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{1,64}$/);
  });
});
