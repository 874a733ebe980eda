/**
 * End to end without the Unity editor: a Mono program built from Koto.Live.Core turns a 48 kHz WAV
 * into exactly the frames a Unity client sends (resampled to 16 kHz, PCM16, 20 ms, numbered by the
 * utterance state machine), and they are streamed into a real lesson room over uWebSockets.js with
 * the loopback speech-to-text fake. The attempt must come back scored with the right verdicts.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { Room } from "@colyseus/sdk";
import type { KotoServer } from "../../server/app.ts";
import type { LessonState } from "../../schema/index.ts";
import { decodeWav } from "../../server/speech/audio/index.ts";
import { startFakeOpenAiStt, type FakeOpenAiStt } from "../fakes/fake-openai-stt.ts";
import { guest, nextMessage, sdk, startTestServer, waitForState } from "../support/koto-test-server.ts";
import { buildUnityCsharp, runMono } from "./mono-build.ts";

const LESSON = "ko-en-01-greetings";
const wav48k = fileURLToPath(new URL("../fixtures/audio/annyeonghaseyo-48k.wav", import.meta.url));

interface UnityUtterance {
  open: { codec: string; sampleRate: number; step: number; attemptId: string; mode: string };
  deviceSampleRate: number;
  closed: boolean;
  state: string;
  frames: string[];
}

async function unityFrames(step: number, mode: "hands-free" | "push-to-talk", trailingSilenceMs: number): Promise<UnityUtterance> {
  const build = await buildUnityCsharp();
  return JSON.parse(await runMono(build.wavToFrames, [wav48k, String(step), mode, String(trailingSilenceMs)]));
}

/** Real-time-sized batches without waiting real time: the server's clock is the audio itself. */
async function stream(room: Room, frames: Uint8Array[]): Promise<void> {
  for (let index = 0; index < frames.length; index++) {
    room.sendBytes("audio", frames[index]);
    if (index % 25 === 24) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("Unity SDK end to end (Mono-built frames into a real lesson room over uWS)", function () {
  this.timeout(120000);
  let server: KotoServer;
  let stt: FakeOpenAiStt;

  before(async () => {
    // Build before the server starts, so the compile is not counted against room timeouts.
    await buildUnityCsharp();
    stt = await startFakeOpenAiStt({ transcript: () => "안녕하세오. 저는 에밀리예요." });
    server = await startTestServer({
      transport: "uws",
      env: { STT_PROVIDER: "openai", OPENAI_STT_BASE_URL: stt.baseUrl, STT_MAX_ATTEMPTS: "2", MAX_AUDIO_BYTES_PER_SECOND: "200000" },
    });
  });
  after(async () => {
    await server?.close();
    await stt?.close();
  });

  async function startAsUnity() {
    const learner = await guest(server, "Unity Learner");
    const room = await sdk(server).create<LessonState>("lesson", { lessonId: LESSON, token: learner.token, platform: "unity" });
    room.send("start");
    await waitForState(room, (state) => state.phase === "running", "the lesson to start", 10000);
    return { learner, room };
  }

  it("turns a 48 kHz recording into frames the server scores, hands-free, with the right verdicts", async () => {
    const { learner, room } = await startAsUnity();
    assert.equal(room.state.participants.get(learner.userId)?.platform, "unity", "the tutor console can tell a Unity learner");
    const step = room.state.currentStep;
    const utterance = await unityFrames(step, "hands-free", 1600);

    assert.equal(utterance.deviceSampleRate, 48000);
    assert.deepEqual({ ...utterance.open, attemptId: "" }, { codec: "pcm16", sampleRate: 16000, step, attemptId: "", mode: "hands-free" });
    assert.match(utterance.open.attemptId, /^unity-[0-9a-f]{32}$/);
    assert.equal(utterance.closed, false, "hands-free leaves the end to the server");
    const frames = utterance.frames.map((frame) => Uint8Array.from(Buffer.from(frame, "base64")));
    // Every frame is [uint32 LE sequence][320 PCM16 samples], numbered from 0 without gaps.
    frames.forEach((frame, index) => {
      assert.equal(frame.byteLength, 4 + 640);
      assert.equal(Buffer.from(frame).readUInt32LE(0), index);
    });

    const opened = nextMessage(room, "utterance-opened", 10000);
    const ended = nextMessage(room, "utterance-ended", 20000);
    room.send("utterance-open", utterance.open);
    assert.deepEqual(await opened, { attemptId: utterance.open.attemptId, step });
    await stream(room, frames);
    assert.deepEqual(await ended, { attemptId: utterance.open.attemptId, reason: "silence" });

    const state = await waitForState(room, (s) => s.attempts.find((a) => a.id === utterance.open.attemptId)?.status === "scored", "the scored attempt", 20000);
    const attempt = state.attempts.find((a) => a.id === utterance.open.attemptId)!;
    assert.equal(attempt.kind, "spoken");
    assert.equal(attempt.correct, false);
    assert.equal(attempt.completeness, 100);
    const verdicts = attempt.syllables.map((syllable) => `${syllable.target}:${syllable.verdict}`);
    assert.equal(verdicts.length, 12);
    const wrong = attempt.syllables.filter((syllable) => syllable.verdict !== "correct");
    assert.deepEqual(wrong.map((s) => ({ target: s.target, heard: s.heard, verdict: s.verdict, jamo: s.jamo })),
      [{ target: "요", heard: "오", verdict: "substituted", jamo: "ㅛ>ㅗ" }]);

    // The speech-to-text fake received the Unity audio: speech at 16 kHz, not silence.
    assert.equal(stt.requests.length, 1);
    const heard = decodeWav(stt.requests[0].audio);
    assert.equal(heard.sampleRate, 16000);
    assert.ok(heard.samples.length > 16000 * 0.5, `${heard.samples.length} samples of speech`);
    await room.leave();
  });

  it("ends a push-to-talk utterance on release and scores what was sent", async () => {
    stt.requests.length = 0;
    const { room } = await startAsUnity();
    const step = room.state.currentStep;
    const utterance = await unityFrames(step, "push-to-talk", 200);
    assert.equal(utterance.closed, true);
    assert.equal(utterance.state, "Ended");
    const opened = nextMessage(room, "utterance-opened", 10000);
    room.send("utterance-open", utterance.open);
    await opened;
    await stream(room, utterance.frames.map((frame) => Uint8Array.from(Buffer.from(frame, "base64"))));
    const ended = nextMessage(room, "utterance-ended", 10000);
    room.send("utterance-close");
    assert.equal((await ended).reason, "released");
    const state = await waitForState(room, (s) => s.attempts.find((a) => a.id === utterance.open.attemptId)?.status === "scored", "the scored attempt", 20000);
    assert.equal(state.attempts.find((a) => a.id === utterance.open.attemptId)!.syllables.filter((s) => s.verdict === "substituted").length, 1);
    await room.leave();
  });
});
