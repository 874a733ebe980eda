import assert from "node:assert/strict";
import { Resampler } from "../../../server/speech/audio/resampler.ts";
import { chunks, concat, correlation, decibels, loadFixture, rms, sine, toneAmplitude } from "./signals.ts";

function resampleAll(resampler: Resampler, input: Int16Array, chunkSize = input.length): Int16Array {
  return concat([...chunks(input, chunkSize).map((chunk) => resampler.process(chunk)), resampler.flush()]);
}

/** The middle of a signal, away from the fade-in and fade-out of the filter. */
function middle(samples: Int16Array, sampleRate: number): Int16Array {
  return samples.subarray(Math.round(sampleRate * 0.1), samples.length - Math.round(sampleRate * 0.1));
}

describe("Resampler", () => {
  it("turns a 48 kHz sine into 16 kHz with the same frequency, level and duration", () => {
    const input = sine(48000, 440, 48000);
    const output = resampleAll(new Resampler(48000, 16000), input);

    assert.equal(output.length, 16000);
    const steady = middle(output, 16000);
    const level = toneAmplitude(steady, 16000, 440);
    assert.ok(Math.abs(decibels(level / 10000)) < 0.1, `440 Hz level ${level}`);
    // Nearly all the energy is still at 440 Hz, not shifted to a neighbour.
    assert.ok(toneAmplitude(steady, 16000, 400) < level * 0.05);
    assert.ok(toneAmplitude(steady, 16000, 480) < level * 0.05);
    // Sample-exact alignment with an ideal 16 kHz sine: no delay, no drift.
    assert.ok(correlation(steady, middle(sine(16000, 440, 16000), 16000)) > 0.9999);
  });

  it("removes what 16 kHz cannot carry instead of folding it back as a false tone", () => {
    // A plain decimator would turn 10 kHz at 48 kHz into a full-level 6 kHz tone.
    const output = resampleAll(new Resampler(48000, 16000), sine(48000, 10000, 48000));
    assert.ok(toneAmplitude(middle(output, 16000), 16000, 6000) < 10000 * 10 ** (-60 / 20));
  });

  it("adds no mirror image when upsampling 8 kHz", () => {
    const output = resampleAll(new Resampler(8000, 16000), sine(8000, 3000, 8000));
    const steady = middle(output, 16000);
    assert.ok(Math.abs(decibels(toneAmplitude(steady, 16000, 3000) / 10000)) < 0.1);
    assert.ok(toneAmplitude(steady, 16000, 5000) < 10000 * 10 ** (-50 / 20));
  });

  for (const inputRate of [8000, 16000, 22050, 24000, 32000, 44100, 48000]) {
    it(`keeps a 1 kHz tone and the duration when converting ${inputRate} Hz to 16 kHz`, () => {
      const output = resampleAll(new Resampler(inputRate, 16000), sine(inputRate, 1000, inputRate * 2));
      assert.ok(Math.abs(output.length - 32000) <= 1, `length ${output.length}`);
      const steady = middle(output, 16000);
      assert.ok(Math.abs(decibels(toneAmplitude(steady, 16000, 1000) / 10000)) < 0.2);
      assert.ok(correlation(steady, middle(sine(16000, 1000, 32000), 16000)) > 0.999);
    });
  }

  for (const [inputRate, chunkSize] of [
    [48000, 960],
    [48000, 7],
    [44100, 882],
    [44100, 1],
    [22050, 441],
    [8000, 160],
  ] as const) {
    it(`gives exactly the one-shot result when fed ${chunkSize}-sample chunks at ${inputRate} Hz`, () => {
      const input = concat([sine(inputRate, 700, inputRate / 4), sine(inputRate, 2500, inputRate / 4, 20000)]);
      const oneShot = resampleAll(new Resampler(inputRate, 16000), input);
      const chunked = resampleAll(new Resampler(inputRate, 16000), input, chunkSize);
      assert.equal(chunked.length, oneShot.length);
      assert.deepEqual(chunked, oneShot);
    });
  }

  it("starts over cleanly after flush", () => {
    const resampler = new Resampler(44100, 16000);
    const input = sine(44100, 523, 4410);
    assert.deepEqual(resampleAll(resampler, input, 441), resampleAll(resampler, input, 300));
  });

  it("passes 16 kHz through untouched", () => {
    const input = sine(16000, 1234, 1000);
    const resampler = new Resampler(16000, 16000);
    const output = resampler.process(input);
    assert.deepEqual(output, input);
    assert.notEqual(output.buffer, input.buffer);
    assert.equal(resampler.flush().length, 0);
  });

  it("clips instead of wrapping around at full scale", () => {
    // A full-scale square wave overshoots after low-pass filtering (Gibbs ringing).
    const square = new Int16Array(4800).map((_, i) => (Math.floor(i / 24) % 2 === 0 ? 32767 : -32768));
    const output = resampleAll(new Resampler(48000, 16000), square);
    assert.equal(Math.max(...output), 32767);
    assert.equal(Math.min(...output), -32768);
    // Wrap-around would put large values of the wrong sign right after the edges.
    assert.ok(rms(output) > 25000);
  });

  it("turns the 48 kHz speech fixture into what sox made at 16 kHz", () => {
    const at48k = loadFixture("annyeonghaseyo-48k");
    const at16k = loadFixture("annyeonghaseyo");
    const output = resampleAll(new Resampler(48000, 16000), at48k.samples, 960);
    assert.equal(output.length, Math.ceil(at48k.samples.length / 3));
    // The 48 kHz file has 0.1 s of lead-in, the 16 kHz one 0.5 s: same speech, 0.4 s later.
    const reference = at16k.samples.subarray(0.4 * 16000, 0.4 * 16000 + output.length);
    assert.ok(correlation(output, reference) > 0.98, `correlation ${correlation(output, reference)}`);
    assert.ok(Math.abs(decibels(rms(output) / rms(reference))) < 0.5);
  });

  it("refuses rates that are not positive integers", () => {
    assert.throws(() => new Resampler(0, 16000), RangeError);
    assert.throws(() => new Resampler(44100.5, 16000), RangeError);
  });
});
