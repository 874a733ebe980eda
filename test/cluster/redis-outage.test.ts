import assert from "node:assert/strict";
import { Client } from "@colyseus/sdk";
import { Redis } from "ioredis";
import type { LessonState } from "../../schema/index.ts";
import { nextMessage, waitForState } from "../support/koto-test-server.ts";
import { waitFor } from "../support/processes.ts";
import {
  greeting, LESSON, lessonAcrossProcesses, openUtterance, pcmFrames, signInGuest, signInTutor, startCluster, startLesson, stream, type Cluster,
} from "../support/cluster.ts";

describe("Redis outage with two processes", function () {
  this.timeout(180_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ processes: 2 });
  });
  after(async () => {
    await cluster?.stop();
  });

  const redisState = async (baseUrl: string) => ((await (await fetch(`${baseUrl}/healthz`)).json()) as { redis: string }).redis;

  it("refuses new rooms with REDIS_UNAVAILABLE, keeps lessons in progress going, retries calmly and recovers", async () => {
    const [first, second] = cluster.processes;
    const { learner, kim, room, other } = await lessonAcrossProcesses(cluster, first.baseUrl, "Mina");
    const tutorRoom = await new Client(other.baseUrl).joinById<LessonState>(room.roomId, { token: kim.token, platform: "web" });
    await waitForState(tutorRoom, (state) => state.participants.has(learner.userId), "the tutor to join", 15_000);

    const logged = cluster.processes.map((process) => process.output().length);
    await cluster.redis.stop();
    await waitFor(async () => (await redisState(first.baseUrl)) === "down" && (await redisState(second.baseUrl)) === "down", "both processes to see Redis down");

    // New lessons are refused with a reason, on every process.
    const newcomer = await signInGuest(first.baseUrl, "Joon");
    for (const process of cluster.processes) {
      await assert.rejects(
        new Client(process.baseUrl).create("lesson", { lessonId: LESSON, token: newcomer.token, platform: "web" }),
        (error: Error & { code?: number }) => /REDIS_UNAVAILABLE/.test(error.message) && error.code === 503,
      );
    }

    // The lesson in progress goes on: a typed answer is checked and stored, live audio reaches the tutor.
    const step = room.state.currentStep;
    const accepted = nextMessage(room, "attempt-accepted", 15_000);
    room.send("answer", { step, text: room.state.steps[step].accepted[0] });
    await accepted;
    await waitForState(tutorRoom, (state) => state.currentStep > step, "the tutor to see the lesson move on", 15_000);
    const relayed: Uint8Array[] = [];
    tutorRoom.onMessage("learner-audio", (bytes: Uint8Array) => relayed.push(bytes));
    const attemptId = await openUtterance(room);
    const frames = pcmFrames(greeting().samples);
    await stream(room, frames);
    await waitFor(() => relayed.length === frames.length, "the tutor to hear the learner during the outage", 30_000);
    room.send("utterance-close");
    await waitForState(room, (state) => state.attempts.find((attempt) => attempt.id === attemptId)?.status === "awaiting-tutor", "the spoken attempt to be stored", 30_000);

    // While Redis is away, each process retries with back-off (every failed connection attempt is
    // logged by the presence): a few attempts per second at most, not a loop.
    const outageStarted = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const attempts = cluster.processes.map((process, index) => (process.output().slice(logged[index]).match(/connection error/g) ?? []).length);
    const elapsedSeconds = (Date.now() - outageStarted) / 1000 + 1;
    for (const count of attempts) {
      assert.ok(count >= 1, "the process keeps trying to reconnect");
      assert.ok(count < 30 * elapsedSeconds, `${count} failed connection attempts in about ${elapsedSeconds.toFixed(1)} s is a busy loop`);
    }

    await cluster.redis.start();
    await waitFor(async () => (await redisState(first.baseUrl)) === "up" && (await redisState(second.baseUrl)) === "up", "both processes to see Redis back");
    // Rooms can be created again, and the room that lived through the outage is listed again and
    // joinable through the other process.
    const fresh = await startLesson(new Client(other.baseUrl), newcomer.token);
    const lee = await signInTutor(cluster, first.baseUrl, "lee@koto.test");
    const lateTutor = await waitFor(
      () => new Client(other.baseUrl).joinById<LessonState>(room.roomId, { token: lee.token, platform: "web" }),
      "the surviving room to be joinable again",
    );
    await waitForState(lateTutor, (state) => state.attempts.some((attempt) => attempt.id === attemptId), "the late tutor to see the attempt", 15_000);
    for (const joined of [lateTutor, fresh, tutorRoom, room]) await joined.leave();
    assert.equal(room.state.currentStep > step, true);
  });

  it("joins across processes again after Redis drops every subscriber connection (CLIENT KILL TYPE pubsub)", async () => {
    const [first] = cluster.processes;
    const { learner, kim, room, other } = await lessonAcrossProcesses(cluster, first.baseUrl, "Sari");

    const admin = new Redis(cluster.redis.url);
    const killedAt = Date.now();
    try {
      // Each process's presence subscriber (and nothing else of ours) is a pub/sub connection.
      assert.ok(Number(await admin.client("KILL", "TYPE", "pubsub")) >= cluster.processes.length);
    } finally {
      admin.disconnect();
    }
    type Health = { redis: string; redisConnections: { subscriber: string; subscription: string; lastEchoAgoMs: number | null } };
    const health = async (baseUrl: string) => (await (await fetch(`${baseUrl}/healthz`)).json()) as Health;
    for (const process of cluster.processes) {
      // /healthz reports the subscriber back once it heard its own watchdog echo sent after the kill.
      await waitFor(async () => {
        const report = await health(process.baseUrl);
        const { subscriber, subscription, lastEchoAgoMs } = report.redisConnections;
        return report.redis === "up" && subscriber === "ready" && subscription === "listening" && lastEchoAgoMs !== null && lastEchoAgoMs < Date.now() - killedAt;
      }, "each process's subscriber to hear again");
    }
    // A seat in a room on the owner, reserved through the other process: a call over the room's
    // channel, answered over the caller's reply channel. Both subscriptions came back (first try).
    const tutorRoom = await new Client(other.baseUrl).joinById<LessonState>(room.roomId, { token: kim.token, platform: "web" });
    await waitForState(tutorRoom, (state) => state.participants.has(learner.userId), "the tutor to see the learner", 15_000);
    // And a new room requested from the other process may be created on either.
    const newcomer = await signInGuest(other.baseUrl, "Dewi");
    const fresh = await startLesson(new Client(other.baseUrl), newcomer.token);
    for (const joined of [fresh, tutorRoom, room]) await joined.leave();
  });

  it("counts wrong passwords for one account on every process together (sign-in limits in Redis)", async () => {
    // LOGIN_FAILURES_PER_ACCOUNT is 10: ten wrong guesses spread over both processes lock the account on both.
    const login = (baseUrl: string, attempt: number) => fetch(`${baseUrl}/api/auth/login`, {
      method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${attempt}` },
      body: JSON.stringify({ email: "ghost@koto.test", password: "wrong password" }),
    });
    for (let attempt = 0; attempt < 10; attempt++) {
      assert.equal((await login(cluster.processes[attempt % 2].baseUrl, attempt)).status, 401);
    }
    for (const [index, process] of cluster.processes.entries()) {
      const refused = await login(process.baseUrl, 50 + index);
      assert.equal(refused.status, 429);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "RATE_LIMITED");
    }
  });
});
