import assert from "node:assert/strict";
import { learnerSounds } from "../../server/progress/learner-sounds.ts";
import { loadContent } from "../../server/content/load-content.ts";
import { defaultContentDir } from "../../server/content/load-content.ts";
import { scoreUtterance } from "../../server/speech/scoring/index.ts";
import type { AttemptRecord } from "../../server/attempts/attempt.ts";
import { baseUrl, getJson, guest, startTestServer, tutor } from "../support/koto-test-server.ts";

const content = loadContent(defaultContentDir);

function attempt(stepIndex: number, heard: string, createdAt: string): AttemptRecord {
  const lesson = content.getLesson("ko-en-01-greetings")!;
  const target = lesson.steps[stepIndex]!.korean.replace("{name}", "에밀리");
  return {
    id: crypto.randomUUID(), sessionId: "s", learnerId: "l", lessonId: lesson.id, stepIndex, kind: "spoken", status: "scored",
    text: heard, correct: false, overall: 70, accuracy: 70, completeness: 100, fluency: null,
    syllables: scoreUtterance(target, heard).syllables, feedback: null, failureCode: null, failureReason: null, evaluation: null,
    tutorId: null, tutorScore: null, tutorComment: null, retries: 0, createdAt,
  };
}

describe("a learner's sounds", () => {
  it("ranks jamo confusions across attempts, each with drill lines that carry the sound", () => {
    const attempts = [
      attempt(3, "조도 반가워요. 조는 미국 사람이에요.", "2026-12-01T10:00:00Z"),
      attempt(5, "네, 학생이에요. 한국오를 공부해요.", "2026-12-02T09:00:00Z"),
      attempt(3, "저도 반가워요. 저는 미국 사람이에요.", "2026-12-02T09:05:00Z"),
    ];
    const sounds = learnerSounds(attempts, (id) => content.getLesson(id), new Date("2026-12-02T12:00:00Z"));
    assert.equal(sounds.confusions[0]!.expected, "ㅓ");
    assert.equal(sounds.confusions[0]!.heard, "ㅗ");
    assert.equal(sounds.confusions[0]!.count, 3);
    assert.ok(sounds.confusions[0]!.drill.length > 0);
    assert.ok(sounds.confusions[0]!.drill.every((line) => /[저어거너더러머버서처터퍼허]/.test(line.korean)), JSON.stringify(sounds.confusions[0]!.drill));
    assert.equal(sounds.streakDays, 2);
    assert.equal(sounds.practiceDays, 2);
  });

  it("counts a streak that ended yesterday and breaks it after a missed day", () => {
    const days = (...dates: string[]) => dates.map((date) => attempt(1, "안녕하세요. 저는 에밀리예요.", date));
    assert.equal(learnerSounds(days("2026-12-01T10:00:00Z"), (id) => content.getLesson(id), new Date("2026-12-02T12:00:00Z")).streakDays, 1);
    assert.equal(learnerSounds(days("2026-11-30T10:00:00Z"), (id) => content.getLesson(id), new Date("2026-12-02T12:00:00Z")).streakDays, 0);
    assert.equal(learnerSounds([], (id) => content.getLesson(id)).confusions.length, 0);
  });

  it("counts the streak from the practice days it is given (older than the attempts read)", () => {
    const today = Math.floor(Date.parse("2026-12-02T12:00:00Z") / 86_400_000);
    const recent = [attempt(1, "안녕하세요. 저는 에밀리예요.", "2026-12-02T10:00:00Z")];
    const sounds = learnerSounds(recent, (id) => content.getLesson(id), new Date("2026-12-02T12:00:00Z"), [today, today - 1, today - 2, today - 5]);
    assert.equal(sounds.streakDays, 3);
    assert.equal(sounds.practiceDays, 4);
    assert.equal(sounds.attemptsCounted, 1);
  });

  it("is served to the signed-in learner from their stored attempts", async function () {
    this.timeout(60_000);
    const server = await startTestServer();
    try {
      const mina = await guest(server, "Mina");
      const empty = await getJson(server, "/api/learners/me/sounds", mina.token);
      assert.equal(empty.status, 200);
      assert.deepEqual([empty.body.confusions, empty.body.streakDays], [[], 0]);
      assert.equal((await getJson(server, "/api/learners/me/sounds")).body.error.code, "AUTH_TOKEN_MISSING");
      const kim = await tutor(server);
      const refused = await getJson(server, "/api/learners/me/sounds", kim.token);
      assert.deepEqual([refused.status, refused.body.error.code], [403, "ROLE_FORBIDDEN"]);
      assert.ok(baseUrl(server));
    } finally {
      await server.close();
    }
  });
});
