import assert from "node:assert/strict";
import { createEndpointer } from "../../../server/speech/audio/endpointer.ts";
import { trimSilence } from "../../../server/speech/audio/trim.ts";
import { chunks, loadFixture } from "./signals.ts";

describe("trimSilence", () => {
  it("keeps the speech plus 150 ms either side of what the endpointer found", async () => {
    const samples = loadFixture("jeoneun-minsu").samples;
    const endpointer = await createEndpointer({ engine: "webrtc" });
    for (const chunk of chunks(samples, 320)) endpointer.process(chunk);
    const timing = endpointer.timing();
    endpointer.close();

    const trimmed = trimSilence(samples, timing);

    const startSample = (timing.speechStartMs! - 150) * 16;
    const endSample = (timing.speechEndMs! + 150) * 16;
    assert.equal(trimmed.length, endSample - startSample);
    assert.deepEqual(trimmed, samples.slice(startSample, endSample));
    // 3 s in, about 1.4 s out, and all of the speech (0.5 s to 1.535 s in the fixture) kept.
    assert.ok(trimmed.length < samples.length / 2);
    assert.ok(startSample <= 0.5 * 16000 && endSample >= 1.535 * 16000);
  });

  it("keeps speech that began before the endpointer trusted its VAD", async () => {
    // The learner talks from the very first sample.
    const samples = loadFixture("annyeonghaseyo").samples.slice(8000);
    const endpointer = await createEndpointer({ engine: "webrtc" });
    endpointer.process(samples);
    const timing = endpointer.timing();
    endpointer.close();
    assert.ok(timing.speechStartMs! > 0 && timing.speechStartMs! <= 150);
    const trimmed = trimSilence(samples, timing);
    assert.equal(trimmed[0], samples[0]);
    assert.deepEqual(trimmed.subarray(0, 2400), samples.subarray(0, 2400));
  });

  it("clamps the padding at both ends", () => {
    const samples = new Int16Array(16000).map((_, i) => i % 1000);
    const trimmed = trimSilence(samples, { speechStartMs: 100, speechEndMs: 950 });
    assert.equal(trimmed.length, 16000);
  });

  it("honours another rate and padding", () => {
    const samples = new Int16Array(48000).map((_, i) => i % 30000);
    const trimmed = trimSilence(samples, { speechStartMs: 200, speechEndMs: 500 }, 48000, 50);
    assert.equal(trimmed.length, (550 - 150) * 48);
    assert.equal(trimmed[0], 150 * 48);
  });

  it("returns nothing when there was no speech", () => {
    assert.equal(trimSilence(new Int16Array(16000), { speechStartMs: null, speechEndMs: null }).length, 0);
  });

  it("returns a view of the recording, not a copy (the WAV made from it is the copy)", () => {
    const samples = new Int16Array(1600).fill(5);
    const trimmed = trimSilence(samples, { speechStartMs: 20, speechEndMs: 60 }, 16000, 0);
    assert.equal(trimmed.buffer, samples.buffer);
    assert.equal(trimmed.byteOffset, 320 * 2);
    assert.equal(trimmed.length, 640);
  });
});
