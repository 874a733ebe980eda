import assert from "node:assert/strict";
import { startFakeOpenAiStt, type FakeOpenAiStt } from "../fakes/fake-openai-stt.ts";
import { waitForState } from "../support/koto-test-server.ts";
import {
  greeting, lessonAcrossProcesses, openUtterance, pcmFrames, startCluster, stream, type Cluster,
} from "../support/cluster.ts";

describe("Re-evaluation and grading asked of a process that does not hold the session", function () {
  this.timeout(180_000);
  let cluster: Cluster;
  let stt: FakeOpenAiStt;
  let heard = "";

  before(async () => {
    stt = await startFakeOpenAiStt({ transcript: () => heard, failWith: { status: 503, message: "overloaded" } });
    cluster = await startCluster({ processes: 2, env: { STT_PROVIDER: "openai", OPENAI_STT_BASE_URL: stt.baseUrl, STT_MAX_ATTEMPTS: "1" } });
  });
  after(async () => {
    await cluster?.stop();
    await stt?.close();
  });

  it("runs in the room on the other process, so the learner's state and the store agree", async () => {
    const [first] = cluster.processes;
    const { kim, room, other } = await lessonAcrossProcesses(cluster, first.baseUrl, "Mina");
    heard = room.state.steps[room.state.currentStep].accepted[0];

    const attemptId = await openUtterance(room);
    await stream(room, pcmFrames(greeting().samples));
    room.send("utterance-close");
    await waitForState(room, (state) => state.attempts.find((attempt) => attempt.id === attemptId)?.status === "failed", "the attempt to fail while STT is down", 30_000);

    stt.setBehavior({ failWith: undefined });
    const response = await fetch(`${other.baseUrl}/api/attempts/${attemptId}/reevaluate`, {
      method: "POST", headers: { authorization: `Bearer ${kim.token}` },
    });
    const body = (await response.json()) as { attempt: { status: string } };
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.attempt.status, "scored");
    // The room that holds the session did the work: its state shows the result without a reload.
    await waitForState(room, (state) => state.attempts.find((attempt) => attempt.id === attemptId)?.status === "scored", "the learner to see the score", 15_000);

    // A tutor's grade from the other process's dashboard goes through the same room.
    const graded = await fetch(`${other.baseUrl}/api/attempts/${attemptId}/grade`, {
      method: "POST", headers: { authorization: `Bearer ${kim.token}`, "content-type": "application/json" }, body: JSON.stringify({ score: 70, comment: "조금 더" }),
    });
    assert.equal(graded.status, 200, await graded.clone().text());
    await waitForState(room, (state) => state.attempts.find((attempt) => attempt.id === attemptId)?.tutorScore === 70, "the learner to see the grade", 15_000);
    await room.leave();
  });

  it("answers the room's own error code and status, the same as the process that holds the session would", async () => {
    const [first] = cluster.processes;
    const { learner, kim, room, owner, other } = await lessonAcrossProcesses(cluster, first.baseUrl, "Budi");
    const reevaluate = async (process: typeof owner, attemptId: string, token = kim.token) => {
      const response = await fetch(`${process.baseUrl}/api/attempts/${attemptId}/reevaluate`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { error?: { code: string; message: string } };
      return { status: response.status, code: body.error?.code, message: body.error?.message };
    };

    // An answer still being spoken has no kept recording: the room refuses it with RECORDING_NOT_FOUND.
    const attemptId = await openUtterance(room);
    await stream(room, pcmFrames(greeting().samples).slice(0, 20));
    await waitForState(room, (state) => state.attempts.find((attempt) => attempt.id === attemptId)?.status === "recording", "the attempt being recorded", 15_000);
    const local = await reevaluate(owner, attemptId);
    assert.equal(local.status, 404);
    assert.equal(local.code, "RECORDING_NOT_FOUND");
    assert.deepEqual(await reevaluate(other, attemptId), local, "the remote room's refusal, not a generic 500");
    // Nor can it be graded yet, wherever the tutor asks.
    const grade = async (process: typeof owner) => {
      const response = await fetch(`${process.baseUrl}/api/attempts/${attemptId}/grade`, {
        method: "POST", headers: { authorization: `Bearer ${kim.token}`, "content-type": "application/json" }, body: JSON.stringify({ score: 90 }),
      });
      return [response.status, ((await response.json()) as { error?: { code: string } }).error?.code];
    };
    assert.deepEqual(await grade(owner), [409, "ATTEMPT_BUSY"]);
    assert.deepEqual(await grade(other), [409, "ATTEMPT_BUSY"]);
    // Refusals decided before the call stay as they were.
    assert.equal((await reevaluate(other, "no-such-attempt")).code, "ATTEMPT_NOT_FOUND");
    const forbidden = await reevaluate(other, attemptId, learner.token);
    assert.deepEqual([forbidden.status, forbidden.code], [403, "ROLE_FORBIDDEN"]);
    room.send("utterance-close");
    await room.leave();
  });
});
