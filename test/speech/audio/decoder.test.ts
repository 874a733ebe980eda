import assert from "node:assert/strict";
import { Encoder } from "@evan/opus";
import { createAudioDecoder, type AudioFormat } from "../../../server/speech/audio/decoder.ts";
import { encodeAudioFrame, int16ToBytesLE, type AudioCodec } from "../../../server/speech/audio/frame.ts";
import {
  bestCorrelation,
  chunks,
  concat,
  decibels,
  expectKotoError,
  loadFixture,
  rms,
  sine,
  toneAmplitude,
} from "./signals.ts";

type OpusRate = 8000 | 12000 | 16000 | 24000 | 48000;

/** 20 ms Opus packets, as a browser's encoder would send them. */
function encodeOpus(samples: Int16Array, sampleRate: OpusRate): Uint8Array[] {
  const encoder = new Encoder({ channels: 1, sample_rate: sampleRate, application: "voip" });
  const frameSamples = sampleRate / 50;
  const whole = samples.subarray(0, samples.length - (samples.length % frameSamples));
  return chunks(whole, frameSamples).map((frame) => encoder.encode(frame));
}

describe("createAudioDecoder", () => {
  describe("pcm16", () => {
    it("passes 16 kHz samples through as a copy independent of the payload", () => {
      const samples = new Int16Array([1, -2, 300, -32768, 32767]);
      const payload = int16ToBytesLE(samples);
      const decoded = createAudioDecoder({ codec: "pcm16", sampleRate: 16000 }).decode(payload);
      payload.fill(0);
      assert.deepEqual(decoded, samples);
    });

    it("reads payloads at odd byte offsets", () => {
      const backing = new Uint8Array(11);
      backing.set(int16ToBytesLE(new Int16Array([258, -3])), 3);
      const decoded = createAudioDecoder({ codec: "pcm16", sampleRate: 16000 }).decode(backing.subarray(3, 7));
      assert.deepEqual([...decoded], [258, -3]);
    });

    it("resamples 48 kHz frames to 16 kHz speech that matches the 16 kHz fixture", () => {
      const decoder = createAudioDecoder({ codec: "pcm16", sampleRate: 48000 });
      const at48k = loadFixture("annyeonghaseyo-48k").samples;
      const decoded = concat([...chunks(at48k, 960).map((frame) => decoder.decode(int16ToBytesLE(frame))), decoder.flush()]);
      const reference = loadFixture("annyeonghaseyo").samples.subarray(6400, 6400 + decoded.length);
      assert.equal(decoded.length, Math.ceil(at48k.length / 3));
      assert.ok(bestCorrelation(reference, decoded, 0).correlation > 0.98);
    });

    it("refuses half a sample", () => {
      const decoder = createAudioDecoder({ codec: "pcm16", sampleRate: 16000 });
      expectKotoError(() => decoder.decode(new Uint8Array(3)), "AUDIO_FRAME_ODD_LENGTH");
      expectKotoError(() => decoder.decodeInto!(new Uint8Array(3), new Int16Array(4), 0), "AUDIO_FRAME_ODD_LENGTH");
    });

    it("decodes 16 kHz PCM in place into a buffer, from any byte offset, and only 16 kHz PCM", () => {
      const decoder = createAudioDecoder({ codec: "pcm16", sampleRate: 16000 });
      assert.equal(decoder.decodesInPlace, true);
      const backing = new Uint8Array(11);
      backing.set(int16ToBytesLE(new Int16Array([258, -3])), 3);
      const target = new Int16Array([9, 9, 9, 9]);
      assert.equal(decoder.decodeInto!(backing.subarray(3, 7), target, 1), 2);
      assert.deepEqual([...target], [9, 258, -3, 9]);
      // A lost frame after it is concealed with silence as long as that frame.
      assert.equal(decoder.conceal().length, 2);
      assert.throws(() => decoder.decodeInto!(backing.subarray(3, 7), target, 3), RangeError);
      // A whole wire frame at an odd offset, its 4-byte header skipped; negative samples keep their sign.
      const frame = new Uint8Array(13);
      frame.set(encodeAudioFrame(7, int16ToBytesLE(new Int16Array([-32768, 32767, -1]))), 1);
      const into = new Int16Array(3);
      assert.equal(decoder.decodeInto!(frame.subarray(1, 1 + 4 + 6), into, 0, 4), 3);
      assert.deepEqual([...into], [-32768, 32767, -1]);
      expectKotoError(() => decoder.decodeInto!(frame.subarray(1, 1 + 4 + 5), into, 0, 4), "AUDIO_FRAME_ODD_LENGTH");
      assert.equal(createAudioDecoder({ codec: "pcm16", sampleRate: 48000 }).decodesInPlace, false);
      assert.equal(createAudioDecoder({ codec: "opus", sampleRate: 16000 }).decodesInPlace, false);
    });
  });

  describe("opus", () => {
    it("round-trips 16 kHz Korean speech", () => {
      const speech = loadFixture("annyeonghaseyo").samples;
      const decoder = createAudioDecoder({ codec: "opus", sampleRate: 16000 });
      const decoded = concat(encodeOpus(speech, 16000).map((packet) => decoder.decode(packet)));

      assert.equal(decoded.length, Math.floor(speech.length / 320) * 320);
      // Opus delays the signal by its look-ahead (6.5 ms); compare at the best lag.
      const match = bestCorrelation(speech, decoded, 320);
      assert.ok(match.correlation > 0.9, `correlation ${match.correlation.toFixed(3)} at lag ${match.lag}`);
      assert.ok(Math.abs(decibels(rms(decoded) / rms(speech))) < 1.5);
    });

    it("decodes 48 kHz Opus straight to 16 kHz", () => {
      const speech48k = loadFixture("annyeonghaseyo-48k").samples;
      const decoder = createAudioDecoder({ codec: "opus", sampleRate: 48000 });
      const packets = encodeOpus(speech48k, 48000);
      const decoded = concat(packets.map((packet) => decoder.decode(packet)));

      assert.equal(decoded.length, packets.length * 320);
      const reference = loadFixture("annyeonghaseyo").samples.subarray(6400, 6400 + decoded.length);
      const match = bestCorrelation(reference, decoded, 320);
      assert.ok(match.correlation > 0.9, `correlation ${match.correlation.toFixed(3)} at lag ${match.lag}`);
      assert.ok(Math.abs(decibels(rms(decoded) / rms(reference))) < 1.5);
    });

    for (const rate of [8000, 12000, 24000] as const) {
      it(`decodes Opus encoded at ${rate} Hz into 320 samples per 20 ms at 16 kHz`, () => {
        const decoder = createAudioDecoder({ codec: "opus", sampleRate: rate });
        const decoded = concat(encodeOpus(sine(rate, 600, rate / 2), rate).map((packet) => decoder.decode(packet)));
        assert.equal(decoded.length, 25 * 320);
        const steady = decoded.subarray(1600);
        assert.ok(toneAmplitude(steady, 16000, 600) > 10000 * 0.7, "the 600 Hz tone survives");
      });
    }

    it("reports a corrupt packet as AUDIO_FRAME_CORRUPT and keeps decoding after it", () => {
      const decoder = createAudioDecoder({ codec: "opus", sampleRate: 16000 });
      const packets = encodeOpus(sine(16000, 440, 3200), 16000);
      decoder.decode(packets[0]!);
      // TOC byte for code 3 (several frames) with a frame count of 0: not a valid packet.
      const error = expectKotoError(() => decoder.decode(new Uint8Array([0xfb, 0x00])), "AUDIO_FRAME_CORRUPT");
      assert.match(error.message, /one Opus packet/);
      expectKotoError(() => decoder.decode(new Uint8Array([0xff, 0xff, 0xff, 1, 2, 3])), "AUDIO_FRAME_CORRUPT");
      expectKotoError(() => decoder.decode(new Uint8Array(0)), "AUDIO_FRAME_CORRUPT");
      assert.equal(decoder.decode(packets[1]!).length, 320);
    });

    it("runs 300 decoders side by side (one per learner)", () => {
      const packets = encodeOpus(loadFixture("jeoneun-minsu").samples.subarray(8000, 8000 + 3200), 16000);
      const decoders = Array.from({ length: 300 }, () => createAudioDecoder({ codec: "opus", sampleRate: 16000 }));
      const outputs = decoders.map((decoder) => concat(packets.map((packet) => decoder.decode(packet))));
      for (const output of outputs) {
        assert.equal(output.length, 3200);
        assert.deepEqual(output, outputs[0]);
      }
      assert.ok(rms(outputs[0]!) > 500, "decoded speech is not silence");
      for (const decoder of decoders) decoder.close();
    });

    it("refuses to decode once closed", () => {
      const decoder = createAudioDecoder({ codec: "opus", sampleRate: 16000 });
      decoder.close();
      expectKotoError(() => decoder.decode(new Uint8Array([0xf8, 0xff, 0xfe])), "AUDIO_DECODER_CLOSED");
    });
  });

  const unsupported: Array<[string, AudioFormat]> = [
    ["pcm16 at 11025 Hz", { codec: "pcm16", sampleRate: 11025 }],
    ["pcm16 at 12000 Hz", { codec: "pcm16", sampleRate: 12000 }],
    ["opus at 44100 Hz", { codec: "opus", sampleRate: 44100 }],
    ["opus at 22050 Hz", { codec: "opus", sampleRate: 22050 }],
    ["a rate of 0", { codec: "pcm16", sampleRate: 0 }],
    ["mp3", { codec: "mp3" as AudioCodec, sampleRate: 16000 }],
  ];
  for (const [what, format] of unsupported) {
    it(`refuses ${what} as AUDIO_FORMAT_UNSUPPORTED and lists what is supported`, () => {
      const error = expectKotoError(() => createAudioDecoder(format), "AUDIO_FORMAT_UNSUPPORTED");
      assert.match(error.message, /supported: /);
    });
  }
});
