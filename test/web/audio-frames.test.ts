import assert from "node:assert/strict";
import { encodeAudioFrame, floatToPcm16, FRAME_SAMPLES, decodeRelayFrame, pcm16ToFloat32 } from "../../web-client/src/audio/audio-frames.ts";
import { FrameAssembler, meterLevel, StreamResampler } from "../../web-client/src/audio/resampler.ts";

const sine = (frequency: number, rate: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, index) => amplitude * Math.sin((2 * Math.PI * frequency * index) / rate));

const rms = (samples: Float32Array) => Math.sqrt(samples.reduce((sum, sample) => sum + sample * sample, 0) / samples.length);

/** Feeds the resampler in 128-sample render quanta, as an AudioWorklet does. */
function resampleInQuanta(input: Float32Array, from: number, to: number): Float32Array {
  const resampler = new StreamResampler(from, to);
  const parts: Float32Array[] = [];
  for (let offset = 0; offset < input.length; offset += 128) parts.push(resampler.process(input.subarray(offset, offset + 128)));
  const output = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    output.set(part, offset);
    offset += part.length;
  }
  return output;
}

describe("web client audio frames", () => {
  it("writes [uint32 LE sequence][PCM16 LE samples] as the server reads them", () => {
    const frame = encodeAudioFrame(258, Int16Array.from([1, -2, 32767, -32768]));
    assert.deepEqual([...frame], [2, 1, 0, 0, 1, 0, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80]);
  });

  it("reads relayed learner-audio: [n][attempt id][sequence][samples], at any byte offset", () => {
    const id = new TextEncoder().encode("web-abc123");
    const frame = encodeAudioFrame(7, Int16Array.from([16384, -16384]));
    const message = new Uint8Array(3 + 1 + id.length + frame.length);
    message[3] = id.length;
    message.set(id, 4);
    message.set(frame, 4 + id.length);
    const parsed = decodeRelayFrame(message.subarray(3));
    assert.equal(parsed.attemptId, "web-abc123");
    assert.equal(parsed.sequence, 7);
    assert.deepEqual([...pcm16ToFloat32(parsed.payload)], [0.5, -0.5]);
  });

  it("refuses a learner-audio message too short to hold its header", () => {
    assert.throws(() => decodeRelayFrame(Uint8Array.from([5, 65, 66])), RangeError);
  });

  it("clamps floats to the PCM16 range", () => {
    assert.deepEqual([2, 1, 0, -1, -3].map(floatToPcm16), [32767, 32767, 0, -32768, -32768]);
  });
});

describe("web client resampling to 16 kHz", () => {
  for (const rate of [48000, 44100, 32000, 22050]) {
    it(`keeps a 440 Hz tone from ${rate} Hz at its level and length`, () => {
      const input = sine(440, rate, 1);
      const output = resampleInQuanta(input, rate, 16000);
      assert.ok(Math.abs(output.length - 16000) <= 13, `${output.length} samples`);
      const steady = output.subarray(200, output.length - 200);
      assert.ok(Math.abs(rms(steady) - rms(input)) < 0.01, `rms ${rms(steady)} vs ${rms(input)}`);
    });
  }

  it("removes tones above 8 kHz instead of folding them into the speech band", () => {
    // A 12 kHz tone at 48 kHz would alias to 4 kHz if it were merely decimated.
    const output = resampleInQuanta(sine(12000, 48000, 0.5), 48000, 16000);
    assert.ok(rms(output.subarray(100)) < 0.02, `alias level ${rms(output.subarray(100))}`);
  });

  it("passes 16 kHz through unchanged", () => {
    const input = sine(300, 16000, 0.1);
    assert.deepEqual(new StreamResampler(16000, 16000).process(input), input);
  });

  it("cuts 20 ms frames of 320 samples, carrying the remainder over", () => {
    const assembler = new FrameAssembler();
    assert.equal(assembler.push(new Float32Array(300)).length, 0);
    const frames = assembler.push(new Float32Array(700));
    assert.equal(frames.length, 3);
    assert.ok(frames.every((frame) => frame.length === FRAME_SAMPLES));
  });

  it("puts silence at the bottom of the meter and a loud tone near the top", () => {
    assert.equal(meterLevel(new Float32Array(480)), 0);
    assert.ok(meterLevel(sine(440, 48000, 0.05, 0.9)) > 0.9);
    assert.ok(meterLevel(sine(440, 48000, 0.05, 0.01)) < 0.4);
  });
});
