import assert from "node:assert/strict";
import {
  createEndpointer,
  type EndpointEvent,
  type Endpointer,
  type EndpointerOptions,
  type UtteranceTiming,
} from "../../../server/speech/audio/endpointer.ts";
import { VAD_FRAME_SAMPLES, webRtcVadHeapBytes, type VoiceDetector } from "../../../server/speech/audio/voice-detector.ts";
import { chunks, loadFixture, type FixtureName } from "./signals.ts";

function run(endpointer: Endpointer, samples: Int16Array, chunkSize = 480): EndpointEvent[] {
  return chunks(samples, chunkSize).flatMap((chunk) => endpointer.process(chunk));
}

async function listen(fixture: FixtureName, options: Partial<EndpointerOptions> = {}) {
  const endpointer = await createEndpointer({ engine: "webrtc", ...options });
  const events = run(endpointer, loadFixture(fixture).samples);
  const timing = endpointer.timing();
  endpointer.close();
  return { events, timing };
}

function assertNear(actual: number | null | undefined, expected: number, tolerance: number, what: string): void {
  assert.ok(
    typeof actual === "number" && Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}

function assertConsistent(timing: UtteranceTiming): void {
  const pauses = timing.pauses.reduce((sum, pause) => sum + pause, 0);
  assert.equal(timing.speechMs + pauses, timing.speechEndMs! - timing.speechStartMs!);
}

// Every fixture has 0.5 s of silence, then speech, then 1.5 s of silence. The WebRTC VAD holds
// on ~100 ms after speech (its own hangover), so ends are checked against the speech end + that.
const single: Array<{ fixture: FixtureName; speechEndsMs: number }> = [
  { fixture: "annyeonghaseyo", speechEndsMs: 1500 },
  { fixture: "jeoneun-minsu", speechEndsMs: 1535 },
  { fixture: "noisy-gamsahamnida", speechEndsMs: 1485 },
];

describe("createEndpointer", () => {
  describe("with the WebRTC VAD on Korean speech", () => {
    for (const { fixture, speechEndsMs } of single) {
      it(`finds "${fixture}" starting at 0.5 s and ends the turn after the trailing silence`, async () => {
        const { events, timing } = await listen(fixture, { trailingSilenceMs: 1200 });

        assert.deepEqual(
          events.map((event) => event.type),
          ["speech-start", "speech-end"],
        );
        const [start, end] = events;
        assert.ok(start?.type === "speech-start" && end?.type === "speech-end");
        assertNear(start.atMs, 500, 60, "speech start");
        assert.ok(start.detectedAtMs - start.atMs <= 80, "start is reported within 80 ms");
        assert.equal(end.reason, "silence");
        assertNear(end.speechEndMs, speechEndsMs + 100, 120, "speech end");
        assert.equal(end.atMs, end.speechEndMs + 1200);
        assert.equal(timing.speechStartMs, start.atMs);
        assert.equal(timing.speechEndMs, end.speechEndMs);
        assert.deepEqual(timing.pauses, []);
        assertConsistent(timing);
      });
    }

    it("does not cut a learner off during a 0.7 s thinking pause, and records the pause", async () => {
      const { events, timing } = await listen("two-phrases-pause", { trailingSilenceMs: 1200 });
      assert.deepEqual(
        events.map((event) => event.type),
        ["speech-start", "speech-end"],
      );
      // First phrase 0.5-1.5 s, pause until 2.2 s, second phrase until 3.24 s.
      assertNear(timing.speechStartMs, 500, 60, "speech start");
      assertNear(timing.speechEndMs, 3240 + 100, 120, "speech end");
      assert.equal(timing.pauses.length, 1);
      assertNear(timing.pauses[0], 700 - 100, 120, "pause (less the VAD's hangover)");
      assertConsistent(timing);
    });

    it("ends the turn in that pause when the trailing silence is shorter than the pause", async () => {
      const { events, timing } = await listen("two-phrases-pause", { trailingSilenceMs: 400 });
      const end = events.find((event) => event.type === "speech-end");
      assert.ok(end?.type === "speech-end");
      assertNear(end.speechEndMs, 1600, 120, "end of the first phrase");
      assert.ok(end.atMs < 2200, "ended before the second phrase began");
      assert.deepEqual(timing.pauses, []);
    });

    it("hears nothing in silence", async () => {
      const { events, timing } = await listen("silence");
      assert.deepEqual(events, []);
      assert.deepEqual(timing, { speechMs: 0, pauses: [], speechStartMs: null, speechEndMs: null });
    });

    it("gives up with no-speech when nobody talks before the leading timeout", async () => {
      const { events } = await listen("silence", { leadingSilenceTimeoutMs: 1000 });
      assert.deepEqual(events, [{ type: "no-speech", atMs: 1000 }]);
    });

    it("ignores the VAD's first verdicts, which take steady hiss for voice", async () => {
      const trusting = await listen("noisy-gamsahamnida", { warmUpMs: 0 });
      assertNear(trusting.timing.speechStartMs, 0, 20, "untrusted start");
      const warmed = await listen("noisy-gamsahamnida");
      assertNear(warmed.timing.speechStartMs, 500, 60, "start after warm-up");
    });

    it("gives the same events whatever the chunk size", async () => {
      const samples = loadFixture("two-phrases-pause").samples;
      const results: string[] = [];
      for (const chunkSize of [1, 77, 320, 1000, samples.length]) {
        const endpointer = await createEndpointer({ engine: "webrtc" });
        results.push(JSON.stringify([run(endpointer, samples, chunkSize), endpointer.timing()]));
        endpointer.close();
      }
      // 20 ms frames that do not start on a VAD frame's boundary (a short first chunk) are put together as the others are.
      const offset = await createEndpointer({ engine: "webrtc" });
      const events = [samples.subarray(0, 100), ...chunks(samples.subarray(100), VAD_FRAME_SAMPLES)].flatMap((chunk) => offset.process(chunk));
      results.push(JSON.stringify([events, offset.timing()]));
      offset.close();
      assert.equal(new Set(results).size, 1);
      assert.ok(JSON.parse(results[0])[0].length >= 2, "the fixture's speech starts and ends");
    });

    it("listens again from a fresh clock after reset", async () => {
      const samples = loadFixture("annyeonghaseyo").samples;
      const endpointer = await createEndpointer({ engine: "webrtc" });
      const first = run(endpointer, samples);
      assert.equal(endpointer.state, "ended");
      assert.deepEqual(endpointer.process(samples), [], "an ended endpointer ignores more audio");
      endpointer.reset();
      assert.equal(endpointer.state, "waiting");
      assert.deepEqual(run(endpointer, samples), first);
      endpointer.close();
    });

    it("frees each learner's VAD state on close", async () => {
      const before = await webRtcVadHeapBytes();
      for (let i = 0; i < 30_000; i++) (await createEndpointer({ engine: "webrtc" })).close();
      // Without freeing, 30,000 states (~750 bytes each) would grow the heap by over 20 MB.
      assert.ok((await webRtcVadHeapBytes()) - before < 1_000_000);
    });

    it("refuses an aggressiveness the VAD does not have", async () => {
      await assert.rejects(createEndpointer({ engine: "webrtc", aggressiveness: 7 as 3 }), RangeError);
    });
  });

  describe("with the energy detector", () => {
    it("finds the clean fixture's speech", async () => {
      const { events, timing } = await listen("jeoneun-minsu", { engine: "energy" });
      assert.deepEqual(
        events.map((event) => event.type),
        ["speech-start", "speech-end"],
      );
      assertNear(timing.speechStartMs, 500, 60, "speech start");
      assertNear(timing.speechEndMs, 1535 + 100, 120, "speech end");
    });

    it("takes neither one click nor two for speech", async () => {
      const samples = new Int16Array(16000);
      samples.fill(20000, 8000, 8000 + VAD_FRAME_SAMPLES);
      samples.fill(-20000, 12800, 12800 + 2 * VAD_FRAME_SAMPLES);
      const endpointer = await createEndpointer({ engine: "energy" });
      assert.deepEqual(run(endpointer, samples), []);
    });

    it("hears nothing in silence", async () => {
      const { events } = await listen("silence", { engine: "energy" });
      assert.deepEqual(events, []);
    });
  });

  describe("turn-taking rules (scripted detector: # voice, . silence, one 20 ms frame each)", () => {
    function scripted(script: string): VoiceDetector {
      let frame = 0;
      return {
        engine: "scripted",
        isVoiced: () => script[frame++] === "#",
        reset: () => void (frame = 0),
        close: () => undefined,
      };
    }

    const rules = { startSpeechMs: 60, trailingSilenceMs: 200, minSpeechMs: 100, minPauseMs: 100 };
    const silence = (frames: number) => ".".repeat(frames);
    const voice = (frames: number) => "#".repeat(frames);

    const cases: Array<{
      name: string;
      script: string;
      options?: Partial<EndpointerOptions>;
      events: EndpointEvent[];
      timing?: Partial<UtteranceTiming>;
    }> = [
      { name: "a single voiced frame is not speech", script: `..#.${silence(20)}`, events: [] },
      { name: "two voiced frames are not speech", script: `..##.${silence(20)}`, events: [] },
      {
        name: "three voiced frames start speech, dated from the first",
        script: `..${voice(6)}${silence(10)}`,
        events: [
          { type: "speech-start", atMs: 40, detectedAtMs: 100 },
          { type: "speech-end", atMs: 360, speechEndMs: 160, reason: "silence" },
        ],
        timing: { speechStartMs: 40, speechEndMs: 160, speechMs: 120, pauses: [] },
      },
      {
        name: "too little speech is discarded and listening goes on",
        script: `..###${silence(10)}${voice(8)}${silence(10)}`,
        events: [
          { type: "speech-start", atMs: 40, detectedAtMs: 100 },
          { type: "speech-discarded", atMs: 300, speechMs: 60 },
          { type: "speech-start", atMs: 300, detectedAtMs: 360 },
          { type: "speech-end", atMs: 660, speechEndMs: 460, reason: "silence" },
        ],
        timing: { speechStartMs: 300, speechEndMs: 460, speechMs: 160 },
      },
      {
        name: "a silence of at least minPauseMs inside speech is a pause",
        script: `${voice(6)}${silence(5)}${voice(6)}${silence(10)}`,
        events: [
          { type: "speech-start", atMs: 0, detectedAtMs: 60 },
          { type: "speech-end", atMs: 540, speechEndMs: 340, reason: "silence" },
        ],
        timing: { speechMs: 240, pauses: [100] },
      },
      {
        name: "a shorter gap is part of the word",
        script: `${voice(6)}${silence(4)}${voice(6)}${silence(10)}`,
        events: [
          { type: "speech-start", atMs: 0, detectedAtMs: 60 },
          { type: "speech-end", atMs: 520, speechEndMs: 320, reason: "silence" },
        ],
        timing: { speechMs: 320, pauses: [] },
      },
      {
        name: "silence just short of trailingSilenceMs does not end the turn",
        script: `${voice(6)}${silence(9)}${voice(6)}${silence(10)}`,
        events: [
          { type: "speech-start", atMs: 0, detectedAtMs: 60 },
          { type: "speech-end", atMs: 620, speechEndMs: 420, reason: "silence" },
        ],
        timing: { pauses: [180] },
      },
      {
        name: "the leading timeout ends a turn nobody took",
        script: silence(30),
        options: { leadingSilenceTimeoutMs: 300 },
        events: [{ type: "no-speech", atMs: 300 }],
      },
      {
        name: "the leading timeout does not cut into speech that started in time",
        script: `${silence(12)}${voice(20)}${silence(10)}`,
        options: { leadingSilenceTimeoutMs: 300 },
        events: [
          { type: "speech-start", atMs: 240, detectedAtMs: 300 },
          { type: "speech-end", atMs: 840, speechEndMs: 640, reason: "silence" },
        ],
      },
      {
        name: "a turn longer than maxSpeechMs is cut",
        script: voice(40),
        options: { maxSpeechMs: 500 },
        events: [
          { type: "speech-start", atMs: 0, detectedAtMs: 60 },
          { type: "speech-end", atMs: 500, speechEndMs: 500, reason: "max-duration" },
        ],
      },
      {
        name: "warm-up frames never start speech",
        script: `${voice(4)}${silence(4)}${voice(6)}${silence(10)}`,
        options: { warmUpMs: 80 },
        events: [
          { type: "speech-start", atMs: 160, detectedAtMs: 220 },
          { type: "speech-end", atMs: 480, speechEndMs: 280, reason: "silence" },
        ],
      },
    ];

    for (const { name, script, options, events, timing } of cases) {
      it(name, async () => {
        const endpointer = await createEndpointer({ ...rules, ...options, engine: scripted(script) });
        assert.deepEqual(run(endpointer, new Int16Array(script.length * VAD_FRAME_SAMPLES)), events);
        const actual = endpointer.timing();
        if (timing) assert.deepEqual({ ...actual, ...timing }, actual);
        if (actual.speechStartMs !== null) assertConsistent(actual);
      });
    }
  });
});
