import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import type { KotoServer } from "../../server/app.ts";
import pino from "pino";
import type { LessonState } from "../../schema/index.ts";
import { openStore } from "../../server/store/open-store.ts";
import type { Store } from "../../server/store/store.ts";
import { baseUrl, getJson, guest, postJson, startTestServer, tutor, waitForState } from "../support/koto-test-server.ts";
import { createPostgresDatabase, type TestDatabase } from "../support/databases.ts";
import { TcpProxy } from "../support/tcp-proxy.ts";

const LESSON = "ko-en-01-greetings";

describe("Postgres down or frozen", function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: KotoServer;
  let mina: { token: string; userId: string };
  let joon: { token: string; userId: string };
  let lessonRoom: Room;

  before(async () => {
    database = await createPostgresDatabase();
    const direct = new URL(database.url);
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    server = await startTestServer({
      databaseUrl: proxied.toString(),
      env: { DATABASE_QUERY_TIMEOUT_MS: "1500", DATABASE_CONNECT_TIMEOUT_MS: "1500" },
    });
    mina = await guest(server, "Mina");
    joon = await guest(server, "Joon");
    lessonRoom = await new Client(baseUrl(server)).create("lesson", { lessonId: LESSON, token: mina.token });
  });
  after(async () => {
    await lessonRoom?.leave().catch(() => {});
    await server?.close().catch(() => {});
    await proxy?.close();
    await database?.drop();
  });

  const storeDown = async () => {
    const health = await getJson(server, "/healthz");
    assert.equal(health.status, 503);
    assert.equal(health.body.status, "unavailable");
    assert.deepEqual(health.body.problems.map((problem: any) => [problem.part, problem.code]), [["store", "STORE_UNAVAILABLE"]]);
    const signUp = await postJson(server, "/api/auth/guest", { name: "Joon" });
    assert.equal(signUp.status, 503);
    assert.equal(signUp.body.error.code, "STORE_UNAVAILABLE");
    assert.match(signUp.body.error.message, /try again/);
    const progress = await getJson(server, "/api/progress/me", mina.token);
    assert.equal(progress.status, 503);
    assert.equal(progress.body.error.code, "STORE_UNAVAILABLE");
    // Room sign-in checks the account in the store too, and says why it cannot.
    await assert.rejects(new Client(baseUrl(server)).joinById(lessonRoom.roomId, { token: joon.token }), /STORE_UNAVAILABLE/);
  };

  const recovers = async () => {
    await waitFor(async () => (await getJson(server, "/healthz")).status === 200, "health to report the store back");
    assert.equal((await postJson(server, "/api/auth/guest", { name: "Joon" })).status, 200);
    assert.equal((await getJson(server, "/api/progress/me", mina.token)).status, 200);
    const room = await new Client(baseUrl(server)).joinById(lessonRoom.roomId, { token: joon.token });
    await room.leave();
  };

  it("reports the store in /healthz while it answers", async () => {
    const health = await getJson(server, "/healthz");
    assert.equal(health.status, 200);
    assert.deepEqual(health.body.problems, []);
  });

  it("answers STORE_UNAVAILABLE (503) when connections are refused, and recovers by itself", async () => {
    proxy.cut();
    await storeDown();
    proxy.restore();
    await recovers();
  });

  it("answers STORE_UNAVAILABLE (503) instead of hanging when the database freezes, and recovers by itself", async () => {
    proxy.freeze();
    await storeDown();
    proxy.restore();
    await recovers();
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("A spoken answer's result while Postgres is down", function () {
  this.timeout(180_000);

  it("is written once the store answers again: state and row agree, nothing the learner was promised is lost", async () => {
    const { startFakeOpenAiStt } = await import("../fakes/fake-openai-stt.ts");
    const { decodeWav, encodeAudioFrame, int16ToBytesLE } = await import("../../server/speech/audio/index.ts");
    const { readFileSync } = await import("node:fs");
    const database = await createPostgresDatabase();
    const direct = new URL(database.url);
    const proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    let release: () => void = () => {};
    const heard = new Promise<void>((resolve) => { release = resolve; });
    // The transcript is held until the store has been cut, so the result arrives during the outage.
    const stt = await startFakeOpenAiStt({ transcript: async () => { await heard; return "안녕하세요. 저는 에밀리예요."; } });
    const server = await startTestServer({
      databaseUrl: proxied.toString(),
      env: { DATABASE_QUERY_TIMEOUT_MS: "1500", DATABASE_CONNECT_TIMEOUT_MS: "1500", STT_PROVIDER: "openai", OPENAI_STT_BASE_URL: stt.baseUrl, STT_TIMEOUT_MS: "60000" },
    });
    try {
      const learner = await guest(server, "Mina");
      const room = await new Client(baseUrl(server)).create<any>("lesson", { lessonId: LESSON, token: learner.token });
      room.onMessage("*", () => {});
      room.send("start");
      await waitFor(async () => room.state.phase === "running", "running");
      const opened = new Promise<any>((resolve) => room.onMessage("utterance-opened", resolve));
      room.send("utterance-open", { codec: "pcm16", sampleRate: 16000 });
      const { attemptId } = await opened;
      const samples = decodeWav(readFileSync(new URL("../fixtures/audio/annyeonghaseyo.wav", import.meta.url))).samples;
      for (let offset = 0, sequence = 0; offset < samples.length; offset += 320, sequence++) {
        room.sendBytes("audio", encodeAudioFrame(sequence, int16ToBytesLE(samples.subarray(offset, offset + 320))));
        if (sequence % 25 === 24) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const attemptOf = () => room.state.attempts.find((attempt: any) => attempt.id === attemptId);
      await waitFor(async () => attemptOf()?.status === "evaluating", "evaluating");
      proxy.cut();
      release();
      // The result cannot be written yet: state keeps saying "evaluating" rather than showing a score it has not kept.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.equal(attemptOf()?.status, "evaluating");
      proxy.restore();
      await waitFor(async () => attemptOf()?.status === "scored", "scored once the store is back", 120_000);
      const row = await server.store.getAttempt(attemptId);
      assert.equal(row?.status, "scored");
      assert.equal(row?.correct, true);
      await room.leave();
    } finally {
      await server.close().catch(() => {});
      await stt.close();
      await proxy.close();
      await database.drop();
    }
  });
});

describe("Session moves while Postgres is down", function () {
  this.timeout(180_000);
  let database: TestDatabase;
  let proxy: TcpProxy;
  let direct: Store;
  const servers: KotoServer[] = [];

  beforeEach(async () => {
    database = await createPostgresDatabase();
    const target = new URL(database.url);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    direct = await openStore({ databaseUrl: database.url });
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close().catch(() => {});
    await direct?.close();
    await proxy?.close();
    await database?.drop();
  });

  const start = async (env: Record<string, string> = {}, logger?: pino.Logger) => {
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    const server = await startTestServer({
      databaseUrl: proxied.toString(), logger,
      // One secret for the process and its successor, as on one server.
      env: { DATABASE_QUERY_TIMEOUT_MS: "1500", DATABASE_CONNECT_TIMEOUT_MS: "1500", JWT_SECRET: "outage-test-secret-long-enough-0123456789", ...env },
    });
    servers.push(server);
    return server;
  };
  const stored = async (sessionId: string, learnerId: string) => ({
    session: (await direct.getSession(sessionId))?.currentStep,
    progress: (await direct.getProgress(learnerId, LESSON))?.currentStep,
  });

  /** A learner alone in a running lesson (the server plays the partner), and every error they are sent. */
  const lessonFor = async (server: KotoServer) => {
    const learner = await guest(server, "Mina");
    const room = await new Client(baseUrl(server)).create<LessonState>("lesson", { lessonId: LESSON, token: learner.token });
    const errors: { code: string }[] = [];
    room.onMessage("error", (error) => errors.push(error));
    room.onMessage("*", () => {});
    room.send("start");
    await waitForState(room, (state) => state.phase === "running", "the lesson to start");
    await waitFor(async () => (await stored(room.roomId, learner.userId)).progress === room.state.currentStep, "the first step stored");
    return { learner, room, errors };
  };

  it("moves the lesson on at once and writes the steps once the store answers again; a restart resumes there", async () => {
    const server = await start();
    const { learner, room, errors } = await lessonFor(server);
    const sessionId = room.roomId;
    const first = room.state.currentStep;
    const kim = await tutor(server);
    const tutorRoom = await new Client(baseUrl(server)).joinById<LessonState>(sessionId, { token: kim.token });
    tutorRoom.onMessage("*", () => {});
    const tutorErrors: { code: string }[] = [];
    tutorRoom.onMessage("error", (error) => tutorErrors.push(error));
    await waitForState(tutorRoom, (state) => state.participants.has(learner.userId), "the tutor to see the learner");

    proxy.cut();
    room.send("next");
    const second = (await waitForState(room, (state) => state.currentStep > first, "the first move during the outage")).currentStep;
    room.send("hint");
    await waitForState(room, (state) => state.progress.get(learner.userId)!.hintsUsed === 1, "a hint during the outage");
    room.send("next");
    const third = (await waitForState(room, (state) => state.currentStep > second, "the second move during the outage")).currentStep;
    // A tutor's moves go on too: back a line, then forward again.
    tutorRoom.send("back");
    await waitForState(room, (state) => state.currentStep === second, "the tutor's move back during the outage");
    tutorRoom.send("advance");
    await waitForState(room, (state) => state.currentStep === third, "the tutor's move on during the outage");
    // Nothing is written yet, and nobody was refused.
    assert.deepEqual(await stored(sessionId, learner.userId), { session: first, progress: first });
    assert.deepEqual([errors, tutorErrors], [[], []]);

    proxy.restore();
    await waitFor(async () => {
      const rows = await stored(sessionId, learner.userId);
      return rows.session === third && rows.progress === third;
    }, "the rows to catch up with the lesson", 60_000);
    assert.equal((await direct.getProgress(learner.userId, LESSON))?.hintsUsed, 1);
    assert.deepEqual([errors, tutorErrors], [[], []]);
    tutorRoom.onLeave(() => {});

    // A restart (drain, then a new process on the same database) resumes at the step reached during the outage.
    room.onLeave(() => {});
    await server.close();
    const next = await start();
    const resumed = await new Client(baseUrl(next)).create<LessonState>("lesson", { lessonId: LESSON, token: learner.token, resume: sessionId });
    const state = await waitForState(resumed, (s) => s.progress.has(learner.userId), "the resumed session");
    assert.equal(resumed.roomId, sessionId);
    assert.equal(state.currentStep, third);
    assert.equal(state.progress.get(learner.userId)!.currentStep, third);
    await resumed.leave();
  });

  it("gives up at the drain deadline when the store never answers, logs what is not stored, and the session resumes from the last stored step", async () => {
    const lines: { level: number; msg: string; currentStep?: number; unstored?: { what: string }[] }[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => { lines.push(JSON.parse(line)); } });
    const server = await start({ DRAIN_DEADLINE_SECONDS: "2" }, logger);
    const { learner, room } = await lessonFor(server);
    const sessionId = room.roomId;
    const first = room.state.currentStep;

    proxy.cut();
    room.send("next");
    const moved = (await waitForState(room, (state) => state.currentStep > first, "a move during the outage")).currentStep;
    room.onLeave(() => {});
    // The drain does not wait for the outage to end (the writes' own retry bound is 10 minutes).
    await server.close();
    const given = lines.find((line) => /NOT stored/.test(line.msg));
    assert.ok(given, "the log says what was not stored");
    assert.equal(given.level, 50, "logged as an error");
    assert.equal(given.currentStep, moved);
    assert.deepEqual([...new Set(given.unstored!.map((write) => write.what))].sort(), ["progress", "session"]);

    proxy.restore();
    // Nothing claims the move was kept, and no late write lands after the process gave up on it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(await stored(sessionId, learner.userId), { session: first, progress: first });
    const next = await start();
    const resumed = await new Client(baseUrl(next)).create<LessonState>("lesson", { lessonId: LESSON, token: learner.token, resume: sessionId });
    const state = await waitForState(resumed, (s) => s.progress.has(learner.userId), "the resumed session");
    assert.equal(state.currentStep, first, "the last stored step");
    await resumed.leave();
  });
});
