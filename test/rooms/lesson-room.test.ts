import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import pino from "pino";
import type { Room } from "@colyseus/sdk";
import type { KotoServer } from "../../server/app.ts";
import { TokenService } from "../../server/auth/token-service.ts";
import type { LessonState } from "../../schema/index.ts";
import { createPostgresDatabase } from "../support/databases.ts";
import { getJson, guest, nextMessage, sdk, startTestServer, tutor, waitForState } from "../support/koto-test-server.ts";

const LESSON = "ko-en-01-greetings";
type LessonRoomClient = Room<any, LessonState>;

/** Answers every step the learner owns with the line itself until the lesson ends. */
async function playThrough(room: LessonRoomClient, learnerId: string): Promise<void> {
  for (let guard = 0; guard < 40 && room.state.phase === "running"; guard++) {
    const step = room.state.steps[room.state.currentStep];
    const role = room.state.participants.get(learnerId)!.dialogueRole;
    assert.equal(step.speaker, role, "the conversation should wait on the learner's own line");
    const before = room.state.currentStep;
    room.send("answer", { text: step.korean, step: step.index });
    await waitForState(room, (s) => s.currentStep !== before || s.phase === "finished", `leaving step ${before}`);
  }
}

/** A learner's new room with a tutor spectating it. */
async function learnerWithTutor(server: KotoServer) {
  const mina = await guest(server, "Mina");
  const kim = await tutor(server);
  const learnerRoom = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token });
  const tutorRoom = await sdk(server).joinById<LessonState>(learnerRoom.roomId, { token: kim.token });
  return { mina, kim, learnerRoom, tutorRoom };
}

for (const transport of ["uws", "ws"] as const) {
  describe(`LessonRoom over ${transport}`, function () {
    let server: KotoServer;

    beforeEach(async () => {
      server = await startTestServer({ transport });
    });
    afterEach(async () => {
      await server.close();
    });

    it("syncs the lesson to a learner and a tutor who join the same room", async () => {
      const mina = await guest(server, "Mina");
      const kim = await tutor(server);
      const learnerRoom = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token, platform: "web" });
      const tutorRoom = await sdk(server).joinById<LessonState>(learnerRoom.roomId, { token: kim.token, platform: "unity" });
      const state = await waitForState(tutorRoom, (s) => s.participants.size === 2, "both participants");
      assert.equal(state.lesson.id, LESSON);
      assert.equal(state.phase, "lobby");
      assert.ok(state.steps.length >= 6);
      assert.match(state.steps[0].romanization, /^[a-z .,?!'-]+$/i);
      assert.equal(state.participants.get(mina.userId)?.role, "learner");
      assert.equal(state.participants.get(mina.userId)?.platform, "web");
      assert.equal(state.participants.get(kim.userId)?.role, "tutor");
      assert.equal(state.participants.get(kim.userId)?.dialogueRole, "");

      learnerRoom.send("start");
      const running = await waitForState(tutorRoom, (s) => s.phase === "running", "the lesson to start");
      const current = running.steps[running.currentStep];
      assert.equal(current.speaker, running.participants.get(mina.userId)?.dialogueRole, "stops on the learner's first line");
      assert.ok(running.steps.slice(0, running.currentStep).every((step) => step.playedByServer), "earlier lines were the partner's");
      await waitForState(learnerRoom, (s) => s.phase === "running", "learner sees running");
      await Promise.all([learnerRoom.leave(), tutorRoom.leave()]);
    });

    it("keeps the seat of a learner (and a tutor) whose second tab was refused as ALREADY_IN_ROOM", async () => {
      const { mina, kim, learnerRoom, tutorRoom } = await learnerWithTutor(server);
      await waitForState(tutorRoom, (s) => s.participants.size === 2, "both participants");
      await assert.rejects(sdk(server).joinById(learnerRoom.roomId, { token: mina.token, platform: "web" }), /ALREADY_IN_ROOM/);
      await assert.rejects(sdk(server).joinById(learnerRoom.roomId, { token: kim.token }), /ALREADY_IN_ROOM/);
      // Colyseus calls onLeave for a refused join: give it the time to have run before looking.
      await new Promise((resolve) => setTimeout(resolve, 500));
      learnerRoom.send("start");
      const running = await waitForState(tutorRoom, (s) => s.phase !== "lobby", "the lesson to start");
      assert.equal(running.phase, "running", "the lesson waits on the learner's line instead of playing itself to the end");
      assert.ok(running.participants.has(mina.userId) && running.participants.has(kim.userId), "both seats are kept");
      assert.equal(running.steps[running.currentStep].speaker, running.participants.get(mina.userId)?.dialogueRole);
      await Promise.all([learnerRoom.leave(), tutorRoom.leave()]);
    });

    it("delivers tutor-only data to tutors and never to learners", async () => {
      const { mina, kim, learnerRoom, tutorRoom } = await learnerWithTutor(server);
      learnerRoom.send("start");
      await waitForState(learnerRoom, (s) => s.phase === "running", "start");
      tutorRoom.send("note", { learnerId: mina.userId, text: "Watch the final consonant in 합니다" });
      const step = learnerRoom.state.steps[learnerRoom.state.currentStep];
      learnerRoom.send("answer", { text: step.korean });

      const tutorView = await waitForState(tutorRoom, (s) => s.attempts.length === 1 && (s.progress.get(mina.userId)?.notes.length ?? 0) === 1, "note and attempt at tutor");
      assert.equal(tutorView.progress.get(mina.userId)!.notes[0].text, "Watch the final consonant in 합니다");
      assert.equal(tutorView.participants.get(mina.userId)!.account.userId, mina.userId);
      assert.equal(tutorView.participants.get(mina.userId)!.account.kind, "guest");
      assert.match(tutorView.attempts[0].evaluation, /"engine":"typed"/);

      const learnerView = await waitForState(learnerRoom, (s) => s.attempts.length === 1, "attempt at learner");
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(learnerView.progress.get(mina.userId)!.notes?.length ?? 0, 0, "learner must not receive tutor notes");
      assert.ok(!learnerView.participants.get(mina.userId)!.account?.userId, "learner must not receive account info");
      assert.ok(!learnerView.participants.get(kim.userId)!.account?.userId, "learner must not receive the tutor's account");
      assert.ok(!learnerView.attempts[0].evaluation, "learner must not receive evaluation details");
      await Promise.all([learnerRoom.leave(), tutorRoom.leave()]);
    });

    it("refuses tutor messages from a learner and learner messages from a tutor, and carries on", async () => {
      const { mina, kim, learnerRoom, tutorRoom } = await learnerWithTutor(server);
      for (const type of ["advance", "back", "end", "grade", "note", "tutor-hint"]) {
        const error = nextMessage(learnerRoom, "error");
        learnerRoom.send(type, {});
        assert.deepEqual(await error, { code: "ROLE_FORBIDDEN", message: `only a tutor may send "${type}"`, type });
      }
      const tutorError = nextMessage(tutorRoom, "error");
      tutorRoom.send("answer", { text: "안녕하세요" });
      assert.equal((await tutorError).code, "ROLE_FORBIDDEN");
      learnerRoom.send("start");
      await waitForState(tutorRoom, (s) => s.phase === "running", "the room still works");
      await Promise.all([learnerRoom.leave(), tutorRoom.leave()]);
    });

    it("answers bad payloads and unknown messages with an error to that client only", async () => {
      const mina = await guest(server, "Mina");
      const budi = await guest(server, "Budi");
      const minaRoom = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token });
      const budiRoom = await sdk(server).joinById<LessonState>(minaRoom.roomId, { token: budi.token });
      let budiErrors = 0;
      budiRoom.onMessage("error", () => budiErrors++);
      minaRoom.send("start");
      await waitForState(minaRoom, (s) => s.phase === "running", "start");

      const cases: [string, unknown, string, RegExp][] = [
        ["answer", { text: "" }, "MESSAGE_INVALID", /text: must not be empty/],
        ["answer", { text: 42 }, "MESSAGE_INVALID", /text/],
        // Too long is the learner's to fix, not the app's: its own code (a sentence the learner can act on).
        ["answer", { text: "가".repeat(201) }, "ANSWER_TOO_LONG", /at most 200/],
        ["answer", { text: "가".repeat(201), extra: true }, "MESSAGE_INVALID", /extra/],
        ["answer", { text: "안녕\u0000하세요" }, "MESSAGE_INVALID", /control characters/],
        // Invisible formatting is dropped before the checks: nothing visible left is an empty answer.
        ["answer", { text: "\u200B\u202E\uFEFF" }, "MESSAGE_INVALID", /text: must not be empty/],
        ["answer", { text: "안녕", step: -1 }, "MESSAGE_INVALID", /step/],
        ["answer", { text: "안녕", extra: true }, "MESSAGE_INVALID", /extra/],
        ["answer", { text: "안녕", attemptId: "../../etc" }, "MESSAGE_INVALID", /attemptId/],
        ["answer", { text: "안녕", step: 999 }, "STEP_MISMATCH", /step/],
        ["start", { now: 1 }, "MESSAGE_INVALID", /now/],
        ["teleport", { x: 1 }, "MESSAGE_UNKNOWN", /teleport/],
      ];
      for (const [type, payload, code, message] of cases) {
        const error = nextMessage(minaRoom, "error");
        minaRoom.send(type, payload);
        const received = await error;
        assert.equal(received.code, code, `${type} ${JSON.stringify(payload)}`);
        assert.match(received.message, message);
      }
      // Whoever does not hold the current line is refused, and saw none of the other's errors.
      const speaker = minaRoom.state.steps[minaRoom.state.currentStep].speaker;
      const minaSpeaks = minaRoom.state.participants.get(mina.userId)!.dialogueRole === speaker;
      const [speakerRoom, waitingRoom] = minaSpeaks ? [minaRoom, budiRoom] : [budiRoom, minaRoom];
      const outOfTurn = nextMessage(waitingRoom, "error");
      waitingRoom.send("answer", { text: "안녕하세요" });
      assert.equal((await outOfTurn).code, "NOT_YOUR_TURN");
      assert.equal(budiErrors, minaSpeaks ? 1 : 0);
      const step = speakerRoom.state.steps[speakerRoom.state.currentStep];
      const accepted = nextMessage(speakerRoom, "attempt-accepted");
      speakerRoom.send("answer", { text: step.korean });
      await accepted;
      await Promise.all([minaRoom.leave(), budiRoom.leave()]);
    });

    it("plays a whole lesson with typed answers, with wrong tries, hints and the partner lines", async () => {
      const mina = await guest(server, "Mina");
      const room = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token });
      room.send("start");
      await waitForState(room, (s) => s.phase === "running", "start");
      const first = room.state.currentStep;

      const wrong = nextMessage(room, "attempt-accepted");
      room.send("answer", { text: "고맙습니다", attemptId: "wrong-try-1" });
      await wrong;
      await waitForState(room, (s) => s.attempts.length === 1, "the wrong attempt");
      assert.equal(room.state.attempts[0].correct, false);
      assert.ok(room.state.attempts[0].overall < 100);
      assert.equal(room.state.currentStep, first, "a wrong answer keeps the step");

      room.send("hint");
      await waitForState(room, (s) => s.progress.get(mina.userId)!.lastHint !== "", "a hint");
      assert.equal(room.state.progress.get(mina.userId)!.hintsUsed, 1);

      // A line with the learner's name: the hint has their name in it, never the slot.
      const sari = await guest(server, "Sari");
      const named = await sdk(server).create<LessonState>("lesson", { lessonId: "ko-id-01-greetings", token: sari.token });
      named.send("start");
      await waitForState(named, (s) => s.phase === "running", "start");
      assert.match(named.state.steps[named.state.currentStep].korean, /\{name\}/, "the learner's first line has the name slot");
      named.send("hint");
      const hint = (await waitForState(named, (s) => s.progress.get(sari.userId)!.lastHint !== "", "a hint")).progress.get(sari.userId)!.lastHint;
      assert.doesNotMatch(hint, /\{name\}/);
      assert.match(hint, /jeoneun Sariyeyo/);
      await named.leave();

      const ended = nextMessage(room, "session-ended");
      await playThrough(room, mina.userId);
      assert.deepEqual(await ended, { completed: true });
      assert.equal(room.state.phase, "finished");
      const mine = room.state.progress.get(mina.userId)!;
      const ownSteps = room.state.steps.filter((step) => step.speaker === room.state.participants.get(mina.userId)!.dialogueRole);
      assert.equal(mine.completedSteps.length, ownSteps.length);
      assert.equal(mine.bestScore, 100);

      const stored = await server.store.getProgress(mina.userId, LESSON);
      assert.ok(stored?.completedAt, "completion is stored");
      assert.equal(stored?.attemptsCount, ownSteps.length + 1);
      const attempts = await server.store.listAttempts({ learnerId: mina.userId });
      assert.equal(attempts.length, ownSteps.length + 1);
      const { body } = await getJson(server, "/api/progress/me", mina.token);
      assert.equal(body.progress[0].lessonId, LESSON);
      await room.leave();
    });

    it("accepts equivalent Korean spellings and spacing, and does not count a replayed attempt twice", async () => {
      const mina = await guest(server, "Mina");
      const room = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token });
      room.send("start");
      await waitForState(room, (s) => s.phase === "running", "start");
      const step = room.state.steps[room.state.currentStep];
      const respaced = step.korean.replace(/\s+/g, "").replace(/[.!?]/g, "") + "!!";
      const first = nextMessage(room, "attempt-accepted");
      room.send("answer", { text: respaced, attemptId: "same-id" });
      assert.deepEqual(await first, { attemptId: "same-id", duplicate: false });
      await waitForState(room, (s) => s.currentStep !== step.index, "moving on after a correct answer");
      const replay = nextMessage(room, "attempt-accepted");
      room.send("answer", { text: respaced, attemptId: "same-id" });
      assert.deepEqual(await replay, { attemptId: "same-id", duplicate: true });
      assert.equal((await server.store.listAttempts({ learnerId: mina.userId })).length, 1);
      assert.equal(room.state.attempts.length, 1);
      await room.leave();
    });

    it("lets a tutor advance, go back, hint, grade by hand and end the session", async () => {
      const { mina, kim, learnerRoom, tutorRoom } = await learnerWithTutor(server);
      learnerRoom.send("start");
      const start = (await waitForState(tutorRoom, (s) => s.phase === "running", "start")).currentStep;
      tutorRoom.send("advance");
      await waitForState(tutorRoom, (s) => s.currentStep > start, "advance");
      tutorRoom.send("back");
      await waitForState(tutorRoom, (s) => s.currentStep === start, "back");

      const hint = nextMessage(learnerRoom, "tutor-hint");
      tutorRoom.send("tutor-hint", { learnerId: mina.userId, text: "Try 안녕하세요 first" });
      assert.deepEqual(await hint, { from: "Teacher Kim", text: "Try 안녕하세요 first" });

      learnerRoom.send("answer", { text: "안녕", attemptId: "try-1" });
      await waitForState(tutorRoom, (s) => s.attempts.length === 1, "attempt at tutor");
      tutorRoom.send("grade", { attemptId: "try-1", score: 85, comment: "Good rhythm" });
      const graded = await waitForState(learnerRoom, (s) => s.attempts[0]?.tutorScore === 85, "grade at learner");
      assert.equal(graded.attempts[0].tutorComment, "Good rhythm");
      assert.notEqual(graded.attempts[0].overall, 85, "the automatic score is kept beside the tutor's");
      assert.equal((await server.store.getAttempt("try-1"))?.tutorScore, 85);

      const gradeError = nextMessage(tutorRoom, "error");
      tutorRoom.send("grade", { attemptId: "nope", score: 50 });
      assert.equal((await gradeError).code, "ATTEMPT_NOT_FOUND");

      const ended = nextMessage(learnerRoom, "session-ended");
      tutorRoom.send("end");
      assert.deepEqual(await ended, { completed: false });
      const afterEnd = nextMessage(learnerRoom, "error");
      learnerRoom.send("answer", { text: "안녕하세요" });
      assert.equal((await afterEnd).code, "SESSION_NOT_RUNNING");
      const sessions = await getJson(server, "/api/sessions?live=false", kim.token);
      assert.equal(sessions.body.sessions[0].id, learnerRoom.roomId);
      await Promise.all([learnerRoom.leave(), tutorRoom.leave()]);
    });

    it("seats two learners in the two dialogue roles and refuses a third", async () => {
      const [mina, budi, sari] = await Promise.all([guest(server, "Mina"), guest(server, "Budi"), guest(server, "Sari")]);
      const minaRoom = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token });
      const budiRoom = await sdk(server).joinById<LessonState>(minaRoom.roomId, { token: budi.token });
      const state = await waitForState(minaRoom, (s) => s.participants.size === 2, "two learners");
      const roles = [state.participants.get(mina.userId)!.dialogueRole, state.participants.get(budi.userId)!.dialogueRole].sort();
      assert.deepEqual(roles, ["A", "B"]);
      assert.ok(state.steps.every((step) => !step.playedByServer), "no partner lines when both roles are taken");
      await assert.rejects(sdk(server).joinById(minaRoom.roomId, { token: sari.token }), /ROOM_FULL|full|locked/i);
      await Promise.all([minaRoom.leave(), budiRoom.leave()]);
    });

    it("refuses missing, forged and expired tokens, and unknown lessons, with a clear message", async () => {
      await assert.rejects(sdk(server).create("lesson", { lessonId: LESSON }), /AUTH_TOKEN_MISSING/);
      const forged = await new SignJWT({ role: "tutor", name: "Mallory" }).setProtectedHeader({ alg: "HS256" })
        .setSubject("x").setIssuer("koto-live").setExpirationTime("1h").sign(new TextEncoder().encode("not-the-server-secret-not-the-server"));
      await assert.rejects(sdk(server).create("lesson", { lessonId: LESSON, token: forged }), /AUTH_TOKEN_INVALID/);
      const mina = await guest(server, "Mina");
      // Signed with the server's own secret, but already expired.
      const secret = readFileSync(join(server.config.dataDir, "jwt-secret"), "utf8").trim();
      const { token: expired } = await new TokenService(secret, { learner: -60, tutor: -60 })
        .issue({ userId: mina.userId, role: "learner", displayName: "Mina" });
      await assert.rejects(sdk(server).create("lesson", { lessonId: LESSON, token: expired }), /AUTH_TOKEN_EXPIRED/);
      await assert.rejects(sdk(server).create("lesson", { lessonId: "ko-en-99-nope", token: mina.token }), /LESSON_NOT_FOUND/);
      await assert.rejects(sdk(server).create("lesson", { token: mina.token }), /ROOM_OPTIONS_INVALID: lessonId/);
      await assert.rejects(sdk(server).create("lesson", { lessonId: LESSON, token: mina.token, platform: "fridge" }), /ROOM_OPTIONS_INVALID: platform/);
      const room = await sdk(server).create("lesson", { lessonId: LESSON, token: mina.token });
      const budi = await guest(server, "Budi");
      await assert.rejects(sdk(server).joinById(room.roomId, { token: budi.token, platform: "fridge" }), /JOIN_OPTIONS_INVALID: platform/);
      await room.leave();
    });

    it("keeps a dropped learner's seat and state when they come back inside the window", async () => {
      const { mina, kim, learnerRoom, tutorRoom } = await learnerWithTutor(server);
      learnerRoom.send("start");
      await waitForState(learnerRoom, (s) => s.phase === "running", "start");
      const step = learnerRoom.state.steps[learnerRoom.state.currentStep];
      learnerRoom.send("answer", { text: step.korean });
      const before = await waitForState(learnerRoom, (s) => s.attempts.length === 1, "an attempt");
      const stepBefore = before.currentStep;

      const reconnected = new Promise<void>((resolve) => learnerRoom.onReconnect.once(() => resolve()));
      // A lost connection, as when a phone changes network: not a consented leave, so the SDK retries.
      learnerRoom.reconnection.minUptime = 0;
      (learnerRoom.connection.transport as any).ws.close(4010);
      await waitForState(tutorRoom, (s) => s.participants.get(mina.userId)?.connected === false, "tutor sees the drop");
      await reconnected;
      await waitForState(tutorRoom, (s) => s.participants.get(mina.userId)?.connected === true, "tutor sees the return");
      assert.equal(learnerRoom.state.currentStep, stepBefore);
      assert.equal(learnerRoom.state.progress.get(mina.userId)!.attemptsCount, 1);
      const next = learnerRoom.state.steps[learnerRoom.state.currentStep];
      learnerRoom.send("answer", { text: next.korean });
      await waitForState(tutorRoom, (s) => s.attempts.length === 2, "answers after reconnecting count");
      await Promise.all([learnerRoom.leave(), tutorRoom.leave()]);
    });
  });
}

describe("LessonRoom progress across restarts", function () {
  const backends = [
    { name: "PGlite", prepare: async () => ({ dataDir: mkdtempSync(join(tmpdir(), "koto-restart-")), cleanup: async () => {} }) },
    {
      name: "Postgres",
      prepare: async () => {
        const database = await createPostgresDatabase();
        return { databaseUrl: database.url, dataDir: mkdtempSync(join(tmpdir(), "koto-restart-")), cleanup: () => database.drop() };
      },
    },
  ];
  for (const backend of backends) {
    it(`resumes a learner's lesson after the room closes and the server restarts (${backend.name})`, async () => {
      const { cleanup, ...storage } = await backend.prepare();
      let server = await startTestServer({ transport: "uws", ...storage });
      try {
        const mina = await guest(server, "Mina");
        const room = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token });
        room.send("start");
        await waitForState(room, (s) => s.phase === "running", "start");
        const first = room.state.currentStep;
        room.send("answer", { text: room.state.steps[first].korean });
        const moved = await waitForState(room, (s) => s.currentStep > first, "progress");
        const reached = moved.currentStep;
        await room.leave();
        await server.close();

        server = await startTestServer({ transport: "uws", ...storage });
        const again = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token });
        const state = await waitForState(again, (s) => s.progress.has(mina.userId), "progress loaded");
        assert.equal(state.currentStep, reached, "resumes at the saved step");
        assert.deepEqual([...state.progress.get(mina.userId)!.completedSteps], [first]);
        assert.equal(state.progress.get(mina.userId)!.attemptsCount, 1);
        const { body } = await getJson(server, "/api/progress/me", mina.token);
        assert.equal(body.progress[0].currentStep, reached);
        await again.leave();
      } finally {
        await server.close();
        await cleanup();
      }
    });
  }

  it("shows a tutor's hint again when the session resumes after a restart, and not a hint for a line already passed", async () => {
    const { cleanup, ...storage } = await backends[0].prepare();
    let server = await startTestServer({ transport: "uws", ...storage });
    try {
      const { mina, kim, learnerRoom, tutorRoom } = await learnerWithTutor(server);
      learnerRoom.send("start");
      await waitForState(learnerRoom, (s) => s.phase === "running", "start");
      const sessionId = learnerRoom.roomId;
      // The learner's own hint on the first line, then the line passed: that hint is done with.
      const first = learnerRoom.state.currentStep;
      learnerRoom.send("hint");
      await waitForState(learnerRoom, (s) => s.progress.get(mina.userId)!.lastHint !== "", "the learner's own hint");
      learnerRoom.send("answer", { text: learnerRoom.state.steps[first].korean, step: first });
      const moved = await waitForState(learnerRoom, (s) => s.currentStep > first && s.progress.get(mina.userId)!.lastHint === "", "the next line");
      const second = moved.currentStep;
      // Then the tutor's hint on the line the learner is on.
      const text = "받침을 조금 더 길게 (hold the final consonant)";
      const delivered = nextMessage(learnerRoom, "tutor-hint");
      tutorRoom.send("tutor-hint", { learnerId: mina.userId, text });
      assert.equal((await delivered).text, text);
      for (const room of [learnerRoom, tutorRoom]) room.onLeave(() => {});
      await server.close();

      server = await startTestServer({ transport: "uws", ...storage });
      const again = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token, resume: sessionId });
      const state = await waitForState(again, (s) => s.progress.has(mina.userId), "Mina back");
      assert.equal(state.currentStep, second);
      assert.equal(state.progress.get(mina.userId)!.lastHint, text, "the tutor's hint is shown again");
      const tutorAgain = await sdk(server).joinById<LessonState>(sessionId, { token: kim.token });
      const seen = await waitForState(tutorAgain, (s) => s.progress.has(mina.userId), "the tutor back");
      assert.equal(seen.progress.get(mina.userId)!.lastHint, text);

      // The line passed after the resume: the hint goes, and a second restart does not bring it back.
      again.send("answer", { text: state.steps[second].korean, step: second });
      await waitForState(again, (s) => s.currentStep > second && s.progress.get(mina.userId)!.lastHint === "", "the line passed");
      for (const room of [again, tutorAgain]) room.onLeave(() => {});
      await server.close();
      server = await startTestServer({ transport: "uws", ...storage });
      const third = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token, resume: sessionId });
      const last = await waitForState(third, (s) => s.progress.has(mina.userId), "Mina back again");
      assert.ok(last.currentStep > second);
      assert.equal(last.progress.get(mina.userId)!.lastHint, "");
      await third.leave();
    } finally {
      await server.close();
      await cleanup();
    }
  });

  it("gives a pair their own dialogue roles back when their session resumes after a restart, whoever comes back first", async () => {
    const { cleanup, ...storage } = await backends[1].prepare();
    let server = await startTestServer({ transport: "uws", ...storage });
    try {
      const [mina, budi] = await Promise.all([guest(server, "Mina"), guest(server, "Budi")]);
      const minaRoom = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token });
      const budiRoom = await sdk(server).joinById<LessonState>(minaRoom.roomId, { token: budi.token });
      const seated = await waitForState(minaRoom, (s) => s.participants.size === 2, "two learners");
      const roleOf = (state: LessonState, userId: string) => state.participants.get(userId)!.dialogueRole;
      const before = { mina: roleOf(seated, mina.userId), budi: roleOf(seated, budi.userId) };
      // Mina came first, so she holds the lesson's learner role: the one a first arrival would otherwise take.
      assert.equal(before.mina, "B");
      assert.equal(before.budi, "A");
      minaRoom.send("start");
      await waitForState(minaRoom, (s) => s.phase === "running", "start");
      const sessionId = minaRoom.roomId;
      for (const room of [minaRoom, budiRoom]) room.onLeave(() => {});
      await server.close();

      // The process that takes the session over learns the roles from the database, not from who rejoins first.
      server = await startTestServer({ transport: "uws", ...storage });
      // Someone who was not in it cannot resume it (it would show them the pair's attempts), and hears
      // what an unknown id gets; the refusal leaves the session resumable by its own learners.
      const eve = await guest(server, "Eve");
      await assert.rejects(sdk(server).create("lesson", { lessonId: LESSON, token: eve.token, resume: sessionId }), /SESSION_NOT_FOUND/);
      // Padded the way the room's own option schema trims it, it is the same session: refused all the same,
      // in the same words as an id that does not exist.
      await assert.rejects(sdk(server).create("lesson", { lessonId: LESSON, token: eve.token, resume: ` ${sessionId} ` }),
        (error: Error) => error.message.includes(`SESSION_NOT_FOUND: no session "${sessionId}" to resume`));
      const budiAgain = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: budi.token, resume: sessionId });
      assert.equal(roleOf(await waitForState(budiAgain, (s) => s.participants.has(budi.userId), "Budi back"), budi.userId), before.budi);
      const minaAgain = await sdk(server).joinById<LessonState>(sessionId, { token: mina.token });
      const both = await waitForState(minaAgain, (s) => s.participants.size === 2, "both back");
      assert.deepEqual({ mina: roleOf(both, mina.userId), budi: roleOf(both, budi.userId) }, before);
      // The server plays no line of either role: both are the pair's again.
      assert.ok(both.steps.every((step) => !step.playedByServer));
      await Promise.all([budiAgain.leave(), minaAgain.leave()]);
    } finally {
      await server.close();
      await cleanup();
    }
  });
});

describe("LessonRoom refusals in the log", function () {
  it("logs a refused creation or join once, at info, without a stack, and nothing after it as an error", async () => {
    const lines: { level: number; msg: string; err?: unknown }[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const server = await startTestServer({ logger });
    try {
      const mina = await guest(server, "Mina");
      await assert.rejects(sdk(server).create("lesson", { lessonId: "no-such-lesson", token: mina.token }), /LESSON_NOT_FOUND/);
      await assert.rejects(sdk(server).create("lesson", { lessonId: LESSON, token: mina.token, platform: "fridge" }), /ROOM_OPTIONS_INVALID/);
      const room = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: mina.token });
      await assert.rejects(sdk(server).joinById(room.roomId, { token: mina.token }), /ALREADY_IN_ROOM/);
      await room.leave();
      const refusedLines = () => lines.filter((line) => line.msg === "a join or room creation was refused");
      // Logged as the refusals happen; waited for (not timed) so that a busy machine cannot fail this.
      for (const deadline = Date.now() + 15_000; refusedLines().length < 3 && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const errors = lines.filter((line) => line.level >= 50);
      assert.deepEqual(errors.map((line) => line.msg), [], "no error lines");
      const refusals = refusedLines();
      assert.ok(refusals.length >= 3, `refusals logged: ${refusals.length}`);
      assert.ok(refusals.every((line) => line.err === undefined), "no stack for a refusal");
    } finally {
      await server.close();
    }
  });
});
