import assert from "node:assert/strict";
import { Client } from "@colyseus/sdk";
import type { LessonState } from "../../schema/index.ts";
import { SESSION_MOVING_CLOSE_CODE } from "../../protocol/session-moves.ts";
import { openStore } from "../../server/store/open-store.ts";
import { startFakeOpenAiStt, type FakeOpenAiStt } from "../fakes/fake-openai-stt.ts";
import { nextMessage, waitForState } from "../support/koto-test-server.ts";
import { waitFor } from "../support/processes.ts";
import {
  greeting, LESSON, openUtterance, ownerOf, pcmFrames, signInGuest, signInTutor, startCluster, stream, type Cluster, type LessonRoom,
} from "../support/cluster.ts";

/** What a client does after a process stopped: create with `resume` through the proxy until a live process answers. */
function resume(apiBase: string, token: string, sessionId: string): Promise<LessonRoom> {
  return waitFor(
    () => new Client(apiBase).create<LessonState>("lesson", { lessonId: LESSON, token, platform: "web", resume: sessionId }),
    "the session to resume on another process", 60_000, 250,
  );
}

const attemptIn = (state: LessonState, id: string) => state.attempts.find((attempt) => attempt.id === id);

describe("Drain and resume across processes (Caddy, Redis, Postgres)", function () {
  this.timeout(240_000);
  let cluster: Cluster;
  let stt: FakeOpenAiStt;
  /** The line the fake speech-to-text hears: whatever the learner is asked to say. */
  let heard = "";

  before(async () => {
    stt = await startFakeOpenAiStt({ transcript: () => heard });
    cluster = await startCluster({
      processes: 2, caddy: true,
      env: { STT_PROVIDER: "openai", OPENAI_STT_BASE_URL: stt.baseUrl, MAX_AUDIO_BYTES_PER_SECOND: "400000", DRAIN_DEADLINE_SECONDS: "30" },
    });
  });
  after(async () => {
    await cluster?.stop();
    await stt?.close();
  });

  it("SIGTERM mid-utterance: the answer is scored and stored, the learner resumes on the other process at the same step", async () => {
    const apiBase = cluster.caddy!.apiBase;
    const learner = await signInGuest(apiBase, "Mina");
    const kim = await signInTutor(cluster, apiBase);
    const room = await new Client(apiBase).create<LessonState>("lesson", { lessonId: LESSON, token: learner.token, platform: "web" });
    const sessionId = room.roomId;
    room.send("start");
    await waitForState(room, (state) => state.phase === "running", "the lesson to start", 15_000);
    const owner = await ownerOf(cluster, sessionId);
    const other = cluster.processes.find((process) => process !== owner)!;
    const tutorRoom = await new Client(`${apiBase}/p/${other.port}`).joinById<LessonState>(sessionId, { token: kim.token, platform: "web" });
    await waitForState(tutorRoom, (state) => state.participants.has(learner.userId), "the tutor to see the learner", 15_000);

    // A typed answer, acknowledged; a tutor note; then the learner starts speaking the next line.
    const firstStep = room.state.currentStep;
    const typed = nextMessage(room, "attempt-accepted", 15_000);
    room.send("answer", { step: firstStep, text: room.state.steps[firstStep].accepted[0] });
    const typedId = (await typed).attemptId as string;
    await waitForState(room, (state) => state.currentStep > firstStep, "the lesson to move on", 15_000);
    tutorRoom.send("note", { learnerId: learner.userId, text: "받침 발음이 좋아요" });
    await waitForState(tutorRoom, (state) => state.progress.get(learner.userId)!.notes.length === 1, "the note", 15_000);
    const spokenStep = room.state.currentStep;
    heard = room.state.steps[spokenStep].accepted[0];
    const frames = pcmFrames(greeting().samples);
    const spokenId = await openUtterance(room);
    await stream(room, frames.slice(0, frames.length / 2));

    const draining = nextMessage(room, "server-draining", 15_000);
    const closed = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    owner.child.kill("SIGTERM");
    assert.deepEqual(await draining, { sessionId, resumeWithinMs: 30_000 });
    // The learner finishes the sentence; the process waits for it, scores it and stores it.
    await stream(room, frames.slice(frames.length / 2));
    room.send("utterance-close");
    assert.equal(await closed, SESSION_MOVING_CLOSE_CODE);
    assert.equal(await owner.exited, 0, owner.output());

    const store = await openStore({ databaseUrl: cluster.database.url });
    try {
      const spoken = (await store.getAttempt(spokenId))!;
      assert.equal(spoken.status, "scored", JSON.stringify(spoken));
      assert.ok(await store.getRecording(spokenId), "the recording is kept");
      const session = (await store.getSession(sessionId))!;
      assert.equal(session.endedAt, null, "a drained session stays open to resume");
    } finally {
      await store.close();
    }

    // Resume through Caddy: the only live process takes it, under the same id, at the line after the scored answer.
    const resumed = await resume(apiBase, learner.token, sessionId);
    assert.equal(resumed.roomId, sessionId);
    const state = await waitForState(resumed, (s) => s.progress.has(learner.userId) && s.attempts.length >= 2, "the restored session", 15_000);
    assert.equal(state.phase, "running");
    assert.ok(state.currentStep > spokenStep, "the scored answer moved the lesson on before the move");
    assert.equal(attemptIn(state, typedId)?.status, "scored");
    assert.equal(attemptIn(state, spokenId)?.status, "scored");
    assert.ok(state.progress.get(learner.userId)!.completedSteps.includes(spokenStep));
    assert.equal((await ownerOf(cluster, sessionId)).processId, other.processId);

    // The tutor finds the session live under the same id and gets the notes back.
    const listed = (await (await fetch(`${apiBase}/api/sessions?live=true`, { headers: { authorization: `Bearer ${kim.token}` } })).json()) as { sessions: { id: string }[] };
    assert.ok(listed.sessions.some((session) => session.id === sessionId));
    const tutorAgain = await waitFor(() => new Client(apiBase).joinById<LessonState>(sessionId, { token: kim.token, platform: "web" }), "the tutor to rejoin");
    const seen = await waitForState(tutorAgain, (s) => s.progress.get(learner.userId)?.notes.length === 1, "the restored note", 15_000);
    assert.equal(seen.progress.get(learner.userId)!.notes[0].text, "받침 발음이 좋아요");
    await tutorAgain.leave();
    await resumed.leave();
  });

  it("SIGKILL mid-lesson: the session resumes from the last committed state on another process", async () => {
    // Bring the stopped instance back on its port (as PM2 would), so Caddy has two again.
    const stopped = cluster.processes.find((process) => process.child.exitCode !== null || process.child.signalCode !== null)!;
    await cluster.addProcess(stopped.port);
    const apiBase = cluster.caddy!.apiBase;
    const learner = await signInGuest(apiBase, "Joon");
    const room = await new Client(apiBase).create<LessonState>("lesson", { lessonId: LESSON, token: learner.token, platform: "web" });
    const sessionId = room.roomId;
    room.send("start");
    await waitForState(room, (state) => state.phase === "running", "the lesson to start", 15_000);
    const owner = await ownerOf(cluster, sessionId);

    const firstStep = room.state.currentStep;
    const typed = nextMessage(room, "attempt-accepted", 15_000);
    room.send("answer", { step: firstStep, text: room.state.steps[firstStep].accepted[0] });
    const typedId = (await typed).attemptId as string;
    await waitForState(room, (state) => state.currentStep > firstStep, "the lesson to move on", 15_000);
    const reached = room.state.currentStep;
    const spokenId = await openUtterance(room);
    await stream(room, pcmFrames(greeting().samples).slice(0, 60));
    await waitForState(room, (state) => attemptIn(state, spokenId)?.status === "recording", "the attempt being recorded", 15_000);
    room.onLeave(() => {});
    owner.child.kill("SIGKILL");
    await owner.exited;

    const resumed = await resume(apiBase, learner.token, sessionId);
    assert.equal(resumed.roomId, sessionId);
    const state = await waitForState(resumed, (s) => s.progress.has(learner.userId) && s.attempts.length >= 2, "the restored session", 15_000);
    assert.equal(state.currentStep, reached, "at the line the learner had reached");
    assert.equal(attemptIn(state, typedId)?.status, "scored", "every acknowledged answer is there");
    // The answer cut by the crash is settled, not left "recording": failed, its audio kept for a retry.
    const cut = attemptIn(state, spokenId)!;
    assert.equal(cut.status, "failed");
    assert.match(cut.failureCode, /^SERVER_RESTARTED/);
    assert.notEqual((await ownerOf(cluster, sessionId)).processId, owner.processId);
    await resumed.leave();
  });
});
