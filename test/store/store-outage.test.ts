import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import type { KotoServer } from "../../server/app.ts";
import { baseUrl, getJson, guest, postJson, startTestServer } from "../support/koto-test-server.ts";
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
