import assert from "node:assert/strict";
import { Client } from "@colyseus/sdk";
import type { LessonState } from "../../schema/index.ts";
import { startFakeOpenAiStt, type FakeOpenAiStt } from "../fakes/fake-openai-stt.ts";
import { waitForState } from "../support/koto-test-server.ts";
import {
  greeting, openUtterance, ownerOf, pcmFrames, signInGuest, signInTutor, startCluster, startLesson, stream, type Cluster,
} from "../support/cluster.ts";

describe("Re-evaluation asked of a process that does not hold the session", function () {
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
    const learner = await signInGuest(first.baseUrl, "Mina");
    const kim = await signInTutor(cluster, first.baseUrl);
    const room = await startLesson(new Client(first.baseUrl), learner.token);
    const owner = await ownerOf(cluster, room.roomId);
    const other = cluster.processes.find((process) => process !== owner)!;
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
    await room.leave();
  });
});
