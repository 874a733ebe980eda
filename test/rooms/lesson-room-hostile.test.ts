/**
 * Regression tests for the hostile-client review (issue 9, room side): each failed on the code
 * before the fix. Real server over uWebSockets, real PGlite or Postgres, the loopback STT fake.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Protocol } from "@colyseus/core";
import { Client, type Room } from "@colyseus/sdk";
import type { KotoServer } from "../../server/app.ts";
import type { LessonState } from "../../schema/index.ts";
import { decodeWav, encodeAudioFrame, int16ToBytesLE } from "../../server/speech/audio/index.ts";
import { openStore } from "../../server/store/open-store.ts";
import { createPostgresDatabase, type TestDatabase } from "../support/databases.ts";
import { freePort } from "../support/processes.ts";
import { baseUrl, guest, nextMessage, postJson, sdk, startTestServer, tutor, waitForState } from "../support/koto-test-server.ts";

const getHealth = async (server: KotoServer) => ({ status: (await fetch(`${baseUrl(server)}/healthz`)).status });
import { startFakeOpenAiStt, type FakeOpenAiStt } from "../fakes/fake-openai-stt.ts";

const LESSON = "ko-en-01-greetings";
const speech = decodeWav(readFileSync(new URL("../fixtures/audio/annyeonghaseyo.wav", import.meta.url)));
type LessonRoom = Room<any, LessonState>;

function pcmFrames(samples: Int16Array, first = 0): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let offset = 0, sequence = first; offset < samples.length; offset += 320, sequence++) {
    frames.push(encodeAudioFrame(sequence, int16ToBytesLE(samples.subarray(offset, offset + 320))));
  }
  return frames;
}

async function stream(room: LessonRoom, frames: Uint8Array[]): Promise<void> {
  for (let index = 0; index < frames.length; index++) {
    room.sendBytes("audio", frames[index]);
    if (index % 25 === 24) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function startLesson(client: Client, token: string): Promise<LessonRoom> {
  const room = await client.create<LessonState>("lesson", { lessonId: LESSON, token, platform: "web" });
  room.send("start");
  await waitForState(room, (s) => s.phase === "running", "start");
  return room;
}

/** Speaks the fixture hands-free and waits until the server ended the utterance; resolves with the attempt id. */
async function sayTheLine(room: LessonRoom): Promise<string> {
  const ended = nextMessage(room, "utterance-ended", 30_000);
  const opened = nextMessage(room, "utterance-opened");
  room.send("utterance-open", { codec: "pcm16", sampleRate: 16000 });
  const { attemptId } = await opened;
  await stream(room, pcmFrames(speech.samples));
  await ended;
  return attemptId;
}

/** The learner's current line, answered right by typing; resolves with the attempt-accepted message. */
async function answerRight(room: LessonRoom, attemptId?: string) {
  const step = room.state.steps[room.state.currentStep];
  const accepted = nextMessage(room, "attempt-accepted");
  room.send("answer", { text: step.accepted[0], step: step.index, ...(attemptId ? { attemptId } : {}) });
  return accepted;
}

describe("LessonRoom against a hostile guest", function () {
  // Generous: the crash test starts three server processes, each running initdb on a fresh DATA_DIR (seconds each
  // on a loaded machine); it only bounds a failure.
  this.timeout(240_000);
  let server: KotoServer;
  let stt: FakeOpenAiStt;
  let sttDelayMs = 0;

  beforeEach(async () => {
    sttDelayMs = 0;
    stt = await startFakeOpenAiStt({ transcript: async () => {
      await new Promise((resolve) => setTimeout(resolve, sttDelayMs));
      return "안녕하세요. 저는 에밀리예요.";
    } });
    server = await startTestServer({ env: { STT_PROVIDER: "openai", OPENAI_STT_BASE_URL: stt.baseUrl, MAX_AUDIO_BYTES_PER_SECOND: "100000" } });
  });
  afterEach(async () => {
    await server.close();
    await stt.close();
  });

  it("answers a message named \"*\" whose payload cannot become a string, and the room carries on", async () => {
    const learner = await guest(server, "Mallory");
    const room = await startLesson(sdk(server), learner.token);
    for (const payload of [{ toString: 1 }, { toString: () => { throw new Error("x"); } }, [1, 2], null]) {
      const error = nextMessage(room, "error");
      room.send("*", payload);
      assert.equal((await error).code, "MESSAGE_UNKNOWN");
    }
    const numbered = nextMessage(room, "error");
    room.send(12345 as never, { toString: 1 });
    assert.equal((await numbered).code, "MESSAGE_UNKNOWN");
    // The error names the message that caused it, as the client named it.
    const named = nextMessage(room, "error");
    room.send("bogus", {});
    assert.deepEqual({ ...(await named) }, { code: "MESSAGE_UNKNOWN", message: 'unknown message type "bogus"', type: "bogus" });
    // Still serving: a typed answer is scored.
    assert.equal((await answerRight(room)).duplicate, false);
    const health = await fetch(`${baseUrl(server)}/healthz`);
    assert.equal(health.status, 200);
  });

  it("refuses a message larger than any the protocol has without reading it, and the room carries on", async () => {
    const learner = await guest(server, "Mallory");
    const room = await startLesson(sdk(server), learner.token);
    const tooLarge = nextMessage(room, "error");
    room.send("answer", { text: "가".repeat(20_000), step: room.state.currentStep });
    const error = await tooLarge;
    assert.equal(error.code, "MESSAGE_TOO_LARGE");
    assert.equal(error.type, "answer", "the error names the message, read from its header");
    assert.match(error.message, /60\d{3} bytes/);
    // Nothing was scored or stored from it; a normal answer still is.
    assert.equal(room.state.attempts.length, 0);
    assert.equal((await answerRight(room)).duplicate, false);
    // A flood of them is charged like any other message: rate limited, not answered one by one.
    const limited = nextMessage(room, "error");
    for (let i = 0; i < 40; i++) room.send("note", { learnerId: "x", text: "나".repeat(5_000) });
    const codes = new Set<string>();
    room.onMessage("error", (e: { code: string }) => codes.add(e.code));
    assert.match((await limited).code, /MESSAGE_TOO_LARGE|RATE_LIMITED/);
    await waitUntil(async () => codes.has("RATE_LIMITED"), "rate limited");
    assert.equal((await fetch(`${baseUrl(server)}/healthz`)).status, 200);
  });

  it("answers a payload that is not MessagePack, and a request, with a code instead of closing or echoing, and carries on", async () => {
    const learner = await guest(server, "Mallory");
    const room = await startLesson(sdk(server), learner.token);
    const raw = (bytes: number[]) => (room as unknown as { connection: { send(data: Uint8Array): void } }).connection.send(Uint8Array.from(bytes));
    let left = false;
    room.onLeave(() => (left = true));
    // Before, a typed answer first: the room is serving this learner.
    assert.equal((await answerRight(room)).duplicate, false);
    const answer = [Protocol.ROOM_DATA, 0xa6, ...Buffer.from("answer")];
    for (const payload of [[0x85, 0xa4], [0xd4, 0x01, 0x00]]) {
      const invalid = nextMessage(room, "error");
      raw([...answer, ...payload]);
      const error = await invalid;
      assert.equal(error.code, "MESSAGE_INVALID");
      assert.equal(error.type, "answer");
    }
    // A request (room.request) of an unknown type: refused like an unknown message, not answered by Colyseus.
    const unknown = nextMessage(room, "error");
    raw([Protocol.ROOM_REQUEST, 1, 0xa3, ...Buffer.from("xyz")]);
    assert.equal((await unknown).code, "MESSAGE_UNKNOWN");
    // Charged like other messages: a flood of requests is rate limited.
    const codes = new Set<string>();
    room.onMessage("error", (e: { code: string }) => codes.add(e.code));
    for (let i = 0; i < 40; i++) raw([Protocol.ROOM_REQUEST, i + 2, 0xa3, ...Buffer.from("xyz")]);
    await waitUntil(async () => codes.has("RATE_LIMITED"), "rate limited");
    // Still seated (Colyseus closed the socket on a bad payload before), and the process serves.
    assert.equal(left, false, "the socket stayed open");
    assert.ok(room.state.participants.has(learner.userId));
    assert.equal((await fetch(`${baseUrl(server)}/healthz`)).status, 200);
  });

  it("refuses a data message posing as audio bytes, and the rate limit still holds afterwards", async () => {
    const learner = await guest(server, "Mallory");
    const room = await startLesson(sdk(server), learner.token);
    const opened = nextMessage(room, "utterance-opened");
    room.send("utterance-open", { codec: "pcm16", sampleRate: 16000, mode: "push-to-talk" });
    await opened;
    const invalid = nextMessage(room, "error");
    room.send("_$baudio", { byteLength: "x" });
    assert.equal((await invalid).code, "AUDIO_FRAME_INVALID");
    // 40 frames of 12 KB at once is far over 100 KB/s: refused, not let through by a poisoned bucket.
    const limited = nextMessage(room, "error");
    for (let i = 0; i < 40; i++) room.sendBytes("audio", encodeAudioFrame(i, new Uint8Array(12_000)));
    assert.equal((await limited).code, "AUDIO_RATE_EXCEEDED");
  });

  it("does not mark the lesson completed when the learner leaves while a spoken answer is scored", async () => {
    const learner = await guest(server, "Mina");
    const room = await startLesson(sdk(server), learner.token);
    sttDelayMs = 400;
    const attemptId = await sayTheLine(room);
    await room.leave();
    // The answer is scored after the learner left: counted, the step passed, but the lesson is not done.
    await waitUntil(async () => (await server.store.getAttempt(attemptId))?.status === "scored", "scored after leaving");
    await waitUntil(async () => ((await server.store.getProgress(learner.userId, LESSON))?.attemptsCount ?? 0) === 1, "counted");
    const progress = (await server.store.getProgress(learner.userId, LESSON))!;
    assert.equal(progress.completedAt, null, JSON.stringify(progress));
    assert.ok(progress.currentStep > 0, "resumes after the line they said, not from the start");
    assert.equal(progress.completedSteps.length, 1);
  });

  it("refuses a flood of typed answers past the learner's budget, closes a connection past Colyseus' ceiling, and other lessons go on", async () => {
    const mallory = await guest(server, "Mallory");
    const room = await startLesson(sdk(server), mallory.token);
    const mina = await guest(server, "Mina");
    const other = await startLesson(sdk(server), mina.token);
    const step = room.state.steps[room.state.currentStep];
    const refused = nextMessage(room, "error");
    const errors: string[] = [];
    room.onMessage("error", (message: { code: string }) => errors.push(message.code));
    // 300 wrong answers at once: each would be scored and stored.
    for (let i = 0; i < 300; i++) room.send("answer", { text: `틀린 답 ${i}`, step: step.index });
    const limited = await refused;
    assert.equal(limited.code, "RATE_LIMITED");
    assert.ok(limited.retryAfterMs > 0, JSON.stringify(limited));
    // Another learner's answer is taken meanwhile.
    assert.equal((await answerRight(other)).duplicate, false);
    // The message budget's burst (20, "start" included) is spent first; a few more refill while the flood is read.
    await waitUntil(async () => room.state.attempts.length >= 15, "the admitted answers");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stored = await server.store.listAttempts({ learnerId: mallory.userId });
    assert.ok(stored.length >= 15 && stored.length <= 20, `at most a minute's worth of typed answers is scored and stored (${stored.length})`);
    assert.equal(room.state.attempts.length, stored.length);
    // The refusal is told once a second, not once per message.
    assert.ok(errors.filter((code) => code === "RATE_LIMITED").length < 5, errors.join(","));
    // Past Colyseus' ceiling (MAX_FRAMES_AND_MESSAGES_PER_SECOND) the connection is closed.
    const closed = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    for (let i = 0; i < 2500; i++) room.send("hint");
    assert.notEqual(await closed, 1000);
    assert.equal((await fetch(`${baseUrl(server)}/healthz`)).status, 200);
    other.send("hint");
    await waitForState(other, (s) => s.progress.get(mina.userId)?.hintsUsed === 1, "the other learner's hint");
  });

  it("closes a connection that floods audio frames past Colyseus' ceiling (frames skip its dispatch, not its count), and other lessons go on", async () => {
    const mallory = await guest(server, "Mallory");
    const room = await startLesson(sdk(server), mallory.token);
    const mina = await guest(server, "Mina");
    const other = await startLesson(sdk(server), mina.token);
    const opened = nextMessage(room, "utterance-opened");
    room.send("utterance-open", { codec: "pcm16", sampleRate: 16000, mode: "push-to-talk" });
    await opened;
    // Each frame is well formed: the audio byte budget refuses most of them, but every one counts toward the ceiling.
    const closed = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    const frame = pcmFrames(speech.samples)[10];
    for (let i = 0; i < 2500; i++) room.sendBytes("audio", frame);
    assert.notEqual(await closed, 1000);
    assert.equal((await fetch(`${baseUrl(server)}/healthz`)).status, 200);
    other.send("hint");
    await waitForState(other, (s) => s.progress.get(mina.userId)?.hintsUsed === 1, "the other learner's hint");
  });

  it("while the process drains, refuses what would write (answers, hints) but lets the answer being spoken finish", async () => {
    const learner = await guest(server, "Mina");
    const room = await startLesson(sdk(server), learner.token);
    const opened = nextMessage(room, "utterance-opened");
    room.send("utterance-open", { codec: "pcm16", sampleRate: 16000, mode: "push-to-talk" });
    await opened;
    await stream(room, pcmFrames(speech.samples).slice(0, 40));
    const draining = nextMessage(room, "server-draining");
    const closing = server.close();
    await draining;
    const step = room.state.steps[room.state.currentStep];
    for (const [type, payload] of [["answer", { text: step.accepted[0], step: step.index }], ["hint", {}]] as const) {
      const refused = nextMessage(room, "error");
      room.send(type, payload);
      assert.deepEqual([(await refused).code, (await refused).type], ["SERVER_DRAINING", type]);
    }
    const ended = nextMessage(room, "utterance-ended");
    room.send("utterance-close");
    assert.equal((await ended).reason, "released");
    await closing;
  });

  it("keeps an attempt's result when a tutor's re-evaluation in the room meets only an outage, and tells the tutor", async () => {
    const learner = await guest(server, "Mina");
    const kim = await tutor(server);
    const room = await startLesson(sdk(server), learner.token);
    const tutorRoom = await sdk(server).joinById<LessonState>(room.roomId, { token: kim.token });
    const attemptId = await sayTheLine(room);
    const scored = await waitForState(tutorRoom, (s) => s.attempts.find((a) => a.id === attemptId)?.status === "scored", "scored", 30_000);
    const overall = scored.attempts.find((a) => a.id === attemptId)!.overall;
    stt.setBehavior({ failWith: { status: 503 } });
    const refused = nextMessage(tutorRoom, "error", 60_000);
    tutorRoom.send("reevaluate", { attemptId });
    const error = await refused;
    assert.match(error.code, /UNAVAILABLE|CIRCUIT|BUSY/);
    assert.equal(error.type, "reevaluate");
    const state = await waitForState(tutorRoom, (s) => s.attempts.find((a) => a.id === attemptId)?.status === "scored", "scored again");
    assert.equal(state.attempts.find((a) => a.id === attemptId)!.overall, overall);
    const row = (await server.store.getAttempt(attemptId))!;
    assert.deepEqual([row.status, row.overall, row.failureCode], ["scored", overall, null]);
  });

  it("commits the progress an answer earned before saying it was accepted", async () => {
    const learner = await guest(server, "Mina");
    const room = await startLesson(sdk(server), learner.token);
    const step = room.state.currentStep;
    await answerRight(room);
    // Read straight after the acknowledgement: the row is already there.
    const progress = await server.store.getProgress(learner.userId, LESSON);
    assert.equal(progress?.attemptsCount, 1);
    assert.deepEqual(progress?.completedSteps, [step]);
    assert.ok(progress!.currentStep > step);
  });

  it("seats a stranger in nobody's lesson: a lesson is joined by its id only", async () => {
    const victim = await guest(server, "Mina");
    const stranger = await guest(server, "Mallory");
    const room = await startLesson(sdk(server), victim.token);
    await assert.rejects(sdk(server).join("lesson", { token: stranger.token, platform: "web" }));
    // joinOrCreate opens the stranger's own lesson instead of a seat in Mina's.
    const own = await sdk(server).joinOrCreate<LessonState>("lesson", { lessonId: LESSON, token: stranger.token, platform: "web" });
    assert.notEqual(own.roomId, room.roomId);
    assert.equal(room.state.participants.size, 1);
    await Promise.all([own.leave(), room.leave()]);
  });

  it("lets a learner sit in at most five lessons at once, and another once one is left", async () => {
    const learner = await guest(server, "Mallory");
    const other = await guest(server, "Budi");
    const rooms: LessonRoom[] = [];
    for (let i = 0; i < 5; i++) rooms.push(await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: learner.token, platform: "web" }));
    await assert.rejects(sdk(server).create("lesson", { lessonId: LESSON, token: learner.token }), /TOO_MANY_LESSONS_OPEN/);
    // At the cap, a second tab of a lesson already open is told what it is, not that there are too many.
    await assert.rejects(sdk(server).joinById(rooms[0].roomId, { token: learner.token }), /ALREADY_IN_ROOM/);
    // Joining someone else's lesson by id counts too; other learners are not affected.
    const budis = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: other.token });
    await assert.rejects(sdk(server).joinById(budis.roomId, { token: learner.token }), /TOO_MANY_LESSONS_OPEN/);
    await rooms.pop()!.leave();
    const again = await sdk(server).joinById<LessonState>(budis.roomId, { token: learner.token });
    await waitForState(again, (s) => s.participants.has(learner.userId), "seated");
    await Promise.all([...rooms, again, budis].map((room) => room.leave()));
  });

  it("scores a typed answer with zero-width and text-direction characters in it as the visible answer", async () => {
    const learner = await guest(server, "Mina");
    const room = await startLesson(sdk(server), learner.token);
    const step = room.state.steps[room.state.currentStep];
    const hidden = [...step.accepted[0]].join("\u200B").concat("\u202E");
    const accepted = nextMessage(room, "attempt-accepted");
    room.send("answer", { text: hidden, step: step.index });
    const { attemptId } = await accepted;
    const row = (await server.store.getAttempt(attemptId))!;
    assert.equal(row.correct, true);
    assert.equal(row.text, step.accepted[0], "stored as it reads");
  });

  it("keeps progress made in a second tab when the first, stale tab saves on leaving", async () => {
    const learner = await guest(server, "Mina");
    const stale = await startLesson(sdk(server), learner.token);
    const fresh = await startLesson(sdk(server), learner.token);
    const first = fresh.state.currentStep;
    await answerRight(fresh);
    await waitForState(fresh, (s) => s.currentStep !== first, "moved on");
    const second = fresh.state.currentStep;
    await answerRight(fresh);
    await waitForState(fresh, (s) => s.currentStep !== second, "moved on again");
    const reached = fresh.state.currentStep;
    // The stale tab still shows the first line: a hint and a wrong answer there, then it closes.
    stale.send("hint");
    await waitForState(stale, (s) => s.progress.get(learner.userId)!.hintsUsed === 1, "hint counted");
    const wrong = nextMessage(stale, "attempt-accepted");
    stale.send("answer", { text: "모르겠어요", step: stale.state.currentStep });
    await wrong;
    await fresh.leave();
    await stale.leave();
    await waitUntil(async () => server.liveRooms.size === 0, "rooms disposed");
    const progress = (await server.store.getProgress(learner.userId, LESSON))!;
    assert.deepEqual(progress.completedSteps, [first, second].sort((a, b) => a - b), "the second tab's passes stay");
    assert.equal(progress.currentStep, reached, "the lesson resumes where the second tab got to");
    assert.equal(progress.attemptsCount, 3, "two answers in one tab and one in the other");
    assert.equal(progress.hintsUsed, 1);
  });

  it("re-evaluates a failed attempt by id over HTTP after its session is gone, and retries outages on its own", async () => {
    const learner = await guest(server, "Mina");
    const kim = await tutor(server);
    const room = await startLesson(sdk(server), learner.token);
    stt.setBehavior({ failWith: { status: 503 } });
    const attemptId = await sayTheLine(room);
    const failed = await waitForState(room, (s) => s.attempts.find((a) => a.id === attemptId)?.status === "failed", "failed", 30_000);
    assert.match(failed.attempts.find((a) => a.id === attemptId)!.failureCode, /UNAVAILABLE|CIRCUIT|BUSY/);
    await room.leave();
    await waitUntil(async () => server.liveRooms.size === 0, "room disposed");

    const listed = await fetch(`${baseUrl(server)}/api/attempts?status=failed`, { headers: { authorization: `Bearer ${kim.token}` } });
    const rows = ((await listed.json()) as any).attempts;
    assert.deepEqual(rows.map((a: any) => a.id), [attemptId]);
    // A dashboard row says who answered and in which lesson without a second request.
    assert.deepEqual([rows[0].learnerName, rows[0].lessonTitle], ["Mina", server.content.getLesson(LESSON)!.title]);
    const forbidden = await postJson(server, `/api/attempts/${attemptId}/reevaluate`, {}, { authorization: `Bearer ${learner.token}` });
    assert.equal(forbidden.status, 403);

    stt.setBehavior({ failWith: undefined });
    // The automatic round (what the timer runs) picks it up once the provider answers again.
    assert.equal(await server.attempts.retryFailed(), 1);
    const scored = (await server.store.getAttempt(attemptId))!;
    assert.equal(scored.correct, true);
    assert.equal(scored.retries >= 1, true);
    const progress = (await server.store.getProgress(learner.userId, LESSON))!;
    assert.ok(progress.completedSteps.includes(scored.stepIndex), "the pass counts in progress");
    assert.equal(progress.attemptsCount, 1, "an attempt is counted once");

    // A tutor's request works the same way outside a room.
    const again = await postJson(server, `/api/attempts/${attemptId}/reevaluate`, {}, { authorization: `Bearer ${kim.token}` });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.attempt.status, "scored");
    assert.equal(again.body.attempt.passed, true);

    // One re-evaluation of an attempt at a time: a second request meanwhile is told the attempt is busy.
    sttDelayMs = 400;
    const both = await Promise.all([1, 2].map(() => postJson(server, `/api/attempts/${attemptId}/reevaluate`, {}, { authorization: `Bearer ${kim.token}` })));
    assert.deepEqual(both.map((answer) => answer.status).sort(), [200, 409]);
    assert.match(JSON.stringify(both.find((answer) => answer.status === 409)!.body), /ATTEMPT_BUSY/);
    const kept = (await server.store.getAttempt(attemptId))!;
    assert.equal(kept.status, "scored");

    // A re-evaluation that meets only an outage keeps the result the attempt had, and says why.
    sttDelayMs = 0;
    stt.setBehavior({ failWith: { status: 503 } });
    const outage = await postJson(server, `/api/attempts/${attemptId}/reevaluate`, {}, { authorization: `Bearer ${kim.token}` });
    assert.equal(outage.status, 503, JSON.stringify(outage.body));
    assert.match(JSON.stringify(outage.body), /UNAVAILABLE|CIRCUIT|BUSY/);
    const after = (await server.store.getAttempt(attemptId))!;
    assert.deepEqual([after.status, after.overall, after.correct, after.failureCode], [kept.status, kept.overall, kept.correct, null]);
  });

  it("keeps state and store in agreement through every transition, including a tutor's grade of an awaiting-tutor attempt", async () => {
    await server.close();
    server = await startTestServer({ env: { STT_PROVIDER: "none" } });
    const learner = await guest(server, "Mina");
    const kim = await tutor(server);
    const room = await startLesson(sdk(server), learner.token);
    const tutorRoom = await sdk(server).joinById<LessonState>(room.roomId, { token: kim.token });
    const statuses: string[] = [];
    const ended = nextMessage(room, "utterance-ended", 30_000);
    const opened = nextMessage(room, "utterance-opened");
    room.send("utterance-open", { codec: "pcm16", sampleRate: 16000 });
    const { attemptId } = await opened;
    const agree = async (status: string) => {
      const state = await waitForState(tutorRoom, (s) => s.attempts.find((a) => a.id === attemptId)?.status === status, status, 30_000);
      await waitUntil(async () => (await server.store.getAttempt(attemptId))?.status === status, `row ${status}`);
      const synced = state.attempts.find((a) => a.id === attemptId)!;
      const row = (await server.store.getAttempt(attemptId))!;
      assert.equal(synced.failureCode, row.failureCode ?? "");
      assert.equal(synced.tutorScore, row.tutorScore ?? -1);
      assert.equal(synced.correct, row.correct);
      statuses.push(status);
      return { synced, row };
    };
    await agree("recording");
    await stream(room, pcmFrames(speech.samples));
    await ended;
    const waiting = await agree("awaiting-tutor");
    assert.equal(waiting.row.failureCode, "STT_DISABLED");
    const step = room.state.currentStep;
    tutorRoom.send("grade", { attemptId, score: 85, comment: "좋아요" });
    const graded = await agree("scored");
    assert.equal(graded.row.tutorScore, 85);
    assert.equal(graded.synced.passed, true);
    // A passing tutor grade moves the lesson on like a passing score.
    await waitForState(room, (s) => s.currentStep > step, "moved on after a passing grade");
    // Evaluated again in its room (scored → evaluating → scored): the tutor's grade stands, so it waits for no tutor.
    tutorRoom.send("reevaluate", { attemptId });
    await waitUntil(async () => (await server.store.getAttempt(attemptId))?.evaluation?.["endedBy"] === "reevaluated", "the re-evaluation stored");
    const again = await agree("scored");
    assert.equal(again.row.tutorScore, 85);
    assert.equal(again.row.failureCode, null);
    assert.equal(again.synced.passed, true);
    assert.deepEqual(statuses, ["recording", "awaiting-tutor", "scored", "scored"]);
  });

  it("hears nothing from, sends nothing to, and closes a socket that never acknowledges its join", async function () {
    this.timeout(60_000);
    const { token } = await guest(server, "Silent");
    const seat = await postJson(server, "/matchmake/create/lesson", { lessonId: LESSON, token, platform: "web" });
    assert.equal(seat.status, 200, JSON.stringify(seat.body));
    const socket = new WebSocket(`${baseUrl(server).replace("http", "ws")}/${seat.body.processId}/${seat.body.roomId}?sessionId=${seat.body.sessionId}`);
    socket.binaryType = "arraybuffer";
    const received: Uint8Array[] = [];
    socket.addEventListener("message", (event) => received.push(new Uint8Array(event.data as ArrayBuffer)));
    const closed = new Promise<void>((resolve) => socket.addEventListener("close", () => resolve()));
    await new Promise((resolve) => socket.addEventListener("open", resolve));
    // Invalid answers, which a joined client is answered for: ROOM_DATA (13), "answer", a msgpack map with an unknown key.
    const invalid = Uint8Array.from([13, 0xa6, ...new TextEncoder().encode("answer"), 0x81, 0xa1, 0x78, 0x01]);
    for (let i = 0; i < 200; i++) socket.send(invalid);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Only the join itself (JOIN_ROOM, 10) came back, and nothing waits in the queue Colyseus keeps until the acknowledgement.
    assert.deepEqual(received.map((message) => message[0]), [10]);
    const room = server.liveRooms.get(seat.body.roomId)!;
    const queued = [...room.clients].map((client) => (client as unknown as { _enqueuedMessages?: unknown[] })._enqueuedMessages?.length ?? 0);
    assert.deepEqual(queued, [0], "no replies queued for a client that has not acknowledged");
    // Then it is closed.
    await closed;
    assert.equal((await getHealth(server)).status, 200);
  });

  it("charges refused messages to the message budget: a flood of invalid ones is answered a few times, then rate-limited", async () => {
    const { token } = await guest(server, "Flood");
    const room = await startLesson(sdk(server), token);
    const codes: string[] = [];
    room.onMessage("error", (error: { code: string }) => codes.push(error.code));
    const sentAt = Date.now();
    for (let i = 0; i < 100; i++) room.send("answer", { text: "" });
    await waitUntil(async () => codes.includes("RATE_LIMITED"), "a RATE_LIMITED reply");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The budget refills (5 a second) and rate-limit notices repeat (once a second) while the room works
    // through the flood: the bounds allow for however long that took on this machine, not a fixed time.
    const seconds = Math.ceil((Date.now() - sentAt) / 1000);
    const invalid = codes.filter((code) => code === "MESSAGE_INVALID").length;
    assert.ok(invalid <= 20 + 5 * seconds, `${invalid} MESSAGE_INVALID of 100 in ${seconds} s: ${codes.slice(0, 30).join(",")}`);
    assert.ok(codes.filter((code) => code === "RATE_LIMITED").length <= seconds, "one rate-limit notice a second, not one per message");
    await room.leave();
  });

  it("lets a tutor grade answers from the dashboard: through the live room, and after the session has ended", async () => {
    await server.close();
    server = await startTestServer({ env: { STT_PROVIDER: "none", MAX_AUDIO_BYTES_PER_SECOND: "100000" } });
    const learner = await guest(server, "Mina");
    const kim = await tutor(server);
    const asTutor = { authorization: `Bearer ${kim.token}` };
    const room = await startLesson(sdk(server), learner.token);
    const tutorRoom = await sdk(server).joinById<LessonState>(room.roomId, { token: kim.token });
    const answer = async () => {
      const opened = nextMessage(room, "utterance-opened");
      room.send("utterance-open", { codec: "pcm16", sampleRate: 16000, mode: "push-to-talk" });
      const { attemptId } = await opened;
      await stream(room, pcmFrames(speech.samples));
      const ended = nextMessage(room, "utterance-ended", 30_000);
      room.send("utterance-close");
      await ended;
      await waitUntil(async () => (await server.store.getAttempt(attemptId))?.status === "awaiting-tutor", "awaiting a tutor");
      return attemptId as string;
    };

    // Live: the grade goes through the room, so its state and the row agree, and a pass moves the lesson on.
    const first = await answer();
    const step = room.state.currentStep;
    const live = await postJson(server, `/api/attempts/${first}/grade`, { score: 90, comment: "좋아요" }, asTutor);
    assert.equal(live.status, 200, JSON.stringify(live.body));
    assert.deepEqual([live.body.attempt.status, live.body.attempt.tutorScore], ["scored", 90]);
    const synced = await waitForState(tutorRoom, (s) => s.attempts.find((a) => a.id === first)?.tutorScore === 90, "the grade in state");
    assert.equal(synced.attempts.find((a) => a.id === first)!.status, "scored");
    await waitForState(room, (s) => s.currentStep > step, "moved on after a passing grade");

    // An answer still being recorded cannot be graded yet.
    const opened = nextMessage(room, "utterance-opened");
    room.send("utterance-open", { codec: "pcm16", sampleRate: 16000 });
    const { attemptId: recording } = await opened;
    const early = await postJson(server, `/api/attempts/${recording}/grade`, { score: 90 }, asTutor);
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, "ATTEMPT_BUSY");
    const closed = nextMessage(room, "utterance-ended", 30_000);
    room.send("utterance-close");
    await closed;

    // Ended: the answers left waiting are graded in the store, with the learner's progress.
    const second = await answer();
    const secondStep = (await server.store.getAttempt(second))!.stepIndex;
    await Promise.all([room.leave(), tutorRoom.leave()]);
    await waitUntil(async () => server.liveRooms.size === 0, "the session closed");
    const failing = await postJson(server, `/api/attempts/${second}/grade`, { score: 40, comment: "다시 해 봐요" }, asTutor);
    assert.equal(failing.status, 200, JSON.stringify(failing.body));
    let row = (await server.store.getAttempt(second))!;
    assert.deepEqual([row.status, row.tutorScore, row.tutorComment, row.tutorId], ["scored", 40, "다시 해 봐요", kim.userId]);
    const lessonId = row.lessonId;
    assert.ok(!(await server.store.getProgress(learner.userId, lessonId))!.completedSteps.includes(secondStep), "a failing grade completes nothing");
    const passing = await postJson(server, `/api/attempts/${second}/grade`, { score: 95 }, asTutor);
    assert.equal(passing.status, 200);
    row = (await server.store.getAttempt(second))!;
    assert.deepEqual([row.status, row.tutorScore, row.tutorComment], ["scored", 95, ""]);
    assert.ok((await server.store.getProgress(learner.userId, lessonId))!.completedSteps.includes(secondStep), "a passing grade completes the step");

    // Only tutors grade; the body is checked; an unknown answer is not found.
    const refusals = await Promise.all([
      postJson(server, `/api/attempts/${second}/grade`, { score: 100 }, { authorization: `Bearer ${learner.token}` }),
      postJson(server, `/api/attempts/${second}/grade`, { score: 101 }, asTutor),
      postJson(server, `/api/attempts/${second}/grade`, { score: "great" }, asTutor),
      postJson(server, "/api/attempts/no-such-attempt/grade", { score: 80 }, asTutor),
    ]);
    assert.deepEqual(refusals.map((answer) => [answer.status, answer.body.error.code]),
      [[403, "ROLE_FORBIDDEN"], [400, "BODY_INVALID"], [400, "BODY_INVALID"], [404, "ATTEMPT_NOT_FOUND"]]);
    assert.equal((await server.store.getAttempt(second))!.tutorScore, 95);
  });

  it("does not lose or complete a lesson on SIGTERM mid-lesson, and keeps the audio of an answer cut by kill -9", async function () {
    // Three server processes start one after another: on a loaded machine each start can take a while.
    this.timeout(600_000);
    const dataDir = mkdtempSync(join(tmpdir(), "koto-crash-"));
    let port = await freePort();
    let child = await startProcess(dataDir, port);
    const client = new Client(`http://127.0.0.1:${port}`);
    const { body } = await jsonPost(port, "/api/auth/guest", { name: "Mina" });
    const room = await startLesson(client, body.token);
    const first = room.state.currentStep;
    await answerRight(room);
    const reached = (await waitForState(room, (s) => s.currentStep > first, "moved on")).currentStep;
    room.onLeave(() => {});
    await stop(child, "SIGTERM");
    let store = await openStore({ dataDir });
    let progress = (await store.getProgress(body.user.id, LESSON))!;
    assert.equal(progress.completedAt, null, "SIGTERM must not complete the lesson");
    assert.equal(progress.currentStep, reached);
    await store.close();

    port = await freePort();
    child = await startProcess(dataDir, port);
    const again = await startLesson(new Client(`http://127.0.0.1:${port}`), body.token);
    assert.equal(again.state.currentStep, reached, "resumed where they stopped");
    const opened = nextMessage(again, "utterance-opened");
    again.send("utterance-open", { codec: "pcm16", sampleRate: 16000, mode: "push-to-talk" });
    const { attemptId } = await opened;
    // 2 s of the answer, then wait until more than half a second of it is on disk in the spool. (Waiting for
    // "speaking" instead missed it on a busy machine: frames arriving in clumps turned it on and off between
    // two patches.)
    await stream(again, pcmFrames(speech.samples.subarray(0, 32_000)));
    await waitUntil(async () => spooledBytes(dataDir) > 44 + 16_000, "half a second spooled", 60_000);
    await stop(child, "SIGKILL");

    port = await freePort();
    child = await startProcess(dataDir, port);
    await stop(child, "SIGTERM");
    store = await openStore({ dataDir });
    const attempt = (await store.getAttempt(attemptId))!;
    const recording = await store.getRecording(attemptId);
    await store.close();
    assert.equal(attempt.status, "failed");
    assert.equal(attempt.failureCode, "SERVER_RESTARTED");
    assert.ok(recording && recording.durationMs > 500, `the audio received before the crash is kept (${recording?.durationMs} ms)`);
  });
});

const root = new URL("../..", import.meta.url).pathname;

function startProcess(dataDir: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Node itself, not the tsx launcher: kill -9 must reach the server, not leave it running as an orphan.
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: root, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "info", STT_PROVIDER: "none", SERVE_WEB_CLIENT: "false" },
    });
    let output = "";
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`no start:\n${output}`)); }, 180_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("KOTO Live is listening")) { clearTimeout(timer); resolve(child); }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.on("exit", () => { clearTimeout(timer); reject(new Error(`exited:\n${output}`)); });
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", () => resolve());
    child.kill(signal);
  });
}

async function jsonPost(port: number, path: string, body: unknown) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

describe("LessonRoom: an utterance closed while its attempt row is still being stored (PGlite on disk)", function () {
  this.timeout(120_000);

  it("ends that attempt like any other (never left recording), says nothing opened after ended, and the room closes", async () => {
    const stt = await startFakeOpenAiStt({ transcript: async () => "안녕하세요. 저는 에밀리예요." });
    // On disk: the row's insert goes to the PGlite thread, so the close arrives while it is in flight.
    const server = await startTestServer({ dataDir: mkdtempSync(join(tmpdir(), "koto-early-close-")), env: { STT_PROVIDER: "openai", OPENAI_STT_BASE_URL: stt.baseUrl } });
    try {
      const learner = await guest(server, "Mina");
      const room = await startLesson(sdk(server), learner.token);
      const seen: string[] = [];
      room.onMessage("utterance-opened", ({ attemptId }: { attemptId: string }) => seen.push(`opened ${attemptId}`));
      room.onMessage("utterance-ended", ({ attemptId }: { attemptId: string }) => seen.push(`ended ${attemptId}`));
      const ids = ["early-close-1", "early-close-2"];
      // Once with nothing streamed, once with frames that arrived before the row was stored.
      room.send("utterance-open", { codec: "pcm16", sampleRate: 16000, attemptId: ids[0] });
      room.send("utterance-close");
      await waitUntil(async () => seen.length >= 1, "utterance-ended");
      room.send("utterance-open", { codec: "pcm16", sampleRate: 16000, attemptId: ids[1] });
      for (const frame of pcmFrames(speech.samples).slice(0, 20)) room.sendBytes("audio", frame);
      room.send("utterance-close");
      for (const id of ids) {
        await waitUntil(async () => {
          const status = (await server.store.getAttempt(id))?.status;
          return status !== undefined && status !== "recording" && status !== "evaluating";
        }, `attempt ${id} settled`);
      }
      // The typed path still answers, and nothing said "opened" after "ended".
      assert.equal((await answerRight(room)).duplicate, false);
      for (const id of ids) {
        const opened = seen.indexOf(`opened ${id}`);
        assert.ok(opened === -1 || opened < seen.indexOf(`ended ${id}`), `no "opened" after "ended": ${seen.join(", ")}`);
      }
      await room.leave();
    } finally {
      await server.close();
      await stt.close();
    }
  });
});

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The bytes of audio the server has spooled to disk so far (every answer's WAV in DATA_DIR/spool). */
function spooledBytes(dataDir: string): number {
  const spool = join(dataDir, "spool");
  if (!existsSync(spool)) return 0;
  return readdirSync(spool).reduce((sum, name) => sum + statSync(join(spool, name)).size, 0);
}
