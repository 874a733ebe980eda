import assert from "node:assert/strict";
import { Encoder } from "@evan/opus";
import {
  audioFrameMs,
  audioTimelineMs,
  copyBytesLEInto,
  DEFAULT_MAX_AUDIO_FRAME_BYTES,
  encodeAudioFrame,
  parseAudioFrame,
  readAudioFrameSequence,
  type AudioCodec,
} from "../../../server/speech/audio/frame.ts";
import { expectKotoError } from "./signals.ts";

describe("audio frames on the wire", () => {
  it("copies little-endian PCM into samples at any byte offset, leaving the rest of the target alone", () => {
    const samples = [0, 1, -1, 32767, -32768, 0x1234, -0x1234];
    const bytes = new Uint8Array(samples.length * 2);
    samples.forEach((sample, i) => { bytes[i * 2] = sample & 0xff; bytes[i * 2 + 1] = (sample >> 8) & 0xff; });
    for (const transportOffset of [0, 1, 7]) {
      const transport = new Uint8Array(transportOffset + 4 + bytes.byteLength).fill(0xee);
      transport.set(bytes, transportOffset + 4);
      const target = new Int16Array(12).fill(99);
      const count = copyBytesLEInto(transport.subarray(transportOffset), target, 3, 4);
      assert.equal(count, samples.length);
      assert.deepEqual([...target], [99, 99, 99, ...samples, 99, 99]);
    }
    assert.throws(() => copyBytesLEInto(bytes, new Int16Array(8), 2), RangeError);
  });

  it("reads the little-endian sequence number and payload through a view's own offset", () => {
    const frame = encodeAudioFrame(0x01020304, new Uint8Array([10, 20, 30, 40]));
    const transportBuffer = new Uint8Array(100).fill(0xee);
    transportBuffer.set(frame, 37);
    const view = transportBuffer.subarray(37, 37 + frame.length);

    const parsed = parseAudioFrame(view, "pcm16");

    assert.equal(parsed.sequence, 0x01020304);
    assert.deepEqual([...parsed.payload], [10, 20, 30, 40]);
  });

  it("copies the payload, so the transport may reuse its buffer", () => {
    const transportBuffer = new Uint8Array(64);
    transportBuffer.set(encodeAudioFrame(7, new Uint8Array([1, 2, 3, 4])), 9);
    const parsed = parseAudioFrame(transportBuffer.subarray(9, 17), "pcm16");

    transportBuffer.fill(0);

    assert.deepEqual([...parsed.payload], [1, 2, 3, 4]);
    assert.notEqual(parsed.payload.buffer, transportBuffer.buffer);
  });

  it("checks a frame in place and reads only its sequence number (the pipeline's path for in-order frames)", () => {
    const transportBuffer = new Uint8Array(64).fill(0xee);
    transportBuffer.set(encodeAudioFrame(0x01020304, new Uint8Array([1, 2, 3, 4])), 9);
    assert.equal(readAudioFrameSequence(transportBuffer.subarray(9, 17), "pcm16"), 0x01020304);
    expectKotoError(() => readAudioFrameSequence(transportBuffer.subarray(9, 16), "pcm16"), "AUDIO_FRAME_ODD_LENGTH");
    expectKotoError(() => readAudioFrameSequence(transportBuffer.subarray(9, 17), "pcm16", { maxFrameBytes: 7 }), "AUDIO_FRAME_TOO_LARGE");
    expectKotoError(() => readAudioFrameSequence(transportBuffer.subarray(9, 13), "opus"), "AUDIO_FRAME_TOO_SHORT");
  });

  it("reads sequence numbers up to 2^32 - 1 as unsigned", () => {
    const parsed = parseAudioFrame(encodeAudioFrame(0xffff_ffff, new Uint8Array([0, 0])), "pcm16");
    assert.equal(parsed.sequence, 4294967295);
  });

  it("round-trips PCM samples given as Int16Array", () => {
    const samples = new Int16Array([0, 1, -1, 32767, -32768, 12345]);
    const parsed = parseAudioFrame(encodeAudioFrame(3, samples), "pcm16");
    const view = new DataView(parsed.payload.buffer, parsed.payload.byteOffset, parsed.payload.byteLength);
    const decoded = Array.from({ length: samples.length }, (_, i) => view.getInt16(i * 2, true));
    assert.deepEqual(decoded, [...samples]);
  });

  const tooShort: Array<[string, number[]]> = [
    ["empty", []],
    ["part of a sequence number", [1, 0]],
    ["a sequence number and no audio", [1, 0, 0, 0]],
  ];
  for (const codec of ["pcm16", "opus"] as const) {
    for (const [what, bytes] of tooShort) {
      it(`refuses ${what} as AUDIO_FRAME_TOO_SHORT (${codec})`, () => {
        expectKotoError(() => parseAudioFrame(new Uint8Array(bytes), codec), "AUDIO_FRAME_TOO_SHORT");
      });
    }
  }

  it("refuses half a sample as AUDIO_FRAME_ODD_LENGTH for pcm16 but not for opus", () => {
    const frame = encodeAudioFrame(0, new Uint8Array([1, 2, 3]));
    const error = expectKotoError(() => parseAudioFrame(frame, "pcm16"), "AUDIO_FRAME_ODD_LENGTH");
    assert.match(error.message, /3 bytes/);
    assert.equal(parseAudioFrame(frame, "opus").payload.length, 3);
  });

  it("accepts a frame exactly at the size limit and refuses one byte more", () => {
    const limit = 644;
    const atLimit = encodeAudioFrame(1, new Uint8Array(limit - 4));
    assert.equal(parseAudioFrame(atLimit, "pcm16", { maxFrameBytes: limit }).payload.length, 640);
    const over = encodeAudioFrame(1, new Uint8Array(limit - 2));
    const error = expectKotoError(() => parseAudioFrame(over, "pcm16", { maxFrameBytes: limit }), "AUDIO_FRAME_TOO_LARGE");
    assert.match(error.message, /at most 644 bytes/);
  });

  it("limits frames to 64 KiB unless told otherwise", () => {
    assert.equal(DEFAULT_MAX_AUDIO_FRAME_BYTES, 65536);
    expectKotoError(() => parseAudioFrame(new Uint8Array(65538), "pcm16"), "AUDIO_FRAME_TOO_LARGE");
    assert.equal(parseAudioFrame(new Uint8Array(65536), "pcm16").payload.length, 65532);
  });

  it("refuses an unknown codec as AUDIO_FORMAT_UNSUPPORTED, naming the supported ones", () => {
    const error = expectKotoError(
      () => parseAudioFrame(encodeAudioFrame(0, new Uint8Array(2)), "mp3" as AudioCodec),
      "AUDIO_FORMAT_UNSUPPORTED",
    );
    assert.match(error.message, /supported: pcm16, opus/);
  });

  it("refuses sequence numbers that do not fit 32 bits when encoding", () => {
    for (const sequence of [-1, 2 ** 32, 1.5]) {
      assert.throws(() => encodeAudioFrame(sequence, new Uint8Array(2)), RangeError);
    }
  });

  it("tells how much audio a frame carries without decoding it: PCM by its size, Opus by its TOC byte", () => {
    assert.equal(audioFrameMs(encodeAudioFrame(0, new Uint8Array(640)), "pcm16", 16000), 20);
    assert.equal(audioFrameMs(encodeAudioFrame(0, new Uint8Array(1920)), "pcm16", 48000), 20);
    for (const [rate, frameMs] of [[48000, 20], [48000, 60], [16000, 10], [16000, 40], [48000, 2.5]] as const) {
      const encoder = new Encoder({ channels: 1, sample_rate: rate, application: "voip" });
      const packet = encoder.encode(new Int16Array((rate * frameMs) / 1000));
      assert.equal(audioFrameMs(encodeAudioFrame(0, packet), "opus", rate), frameMs, `${frameMs} ms at ${rate} Hz`);
    }
    // TOC code 3 (any number of frames): the count byte says how many, capped at a packet's 120 ms.
    assert.equal(audioFrameMs(encodeAudioFrame(0, Uint8Array.of((19 << 3) | 3, 5, 0, 0)), "opus", 48000), 100, "five CELT 20 ms frames");
    assert.equal(audioFrameMs(encodeAudioFrame(0, Uint8Array.of((31 << 3) | 3, 63)), "opus", 48000), 120);
    assert.equal(audioFrameMs(encodeAudioFrame(0, Uint8Array.of((1 << 3) | 1)), "opus", 16000), 40, "two SILK 20 ms frames");
    assert.equal(audioFrameMs(encodeAudioFrame(0, new Uint8Array(0)), "opus", 16000), 0);
  });

  it("charges a frame for the frames it jumps over, and nothing for a straggler or a duplicate", () => {
    const pcm = (sequence: number) => encodeAudioFrame(sequence, new Uint8Array(3200)); // 100 ms at 16 kHz
    // In order: each frame its own 100 ms.
    assert.deepEqual(audioTimelineMs(pcm(0), "pcm16", 16000, 0), { ms: 100, countedUpTo: 1 });
    assert.deepEqual(audioTimelineMs(pcm(1), "pcm16", 16000, 1), { ms: 100, countedUpTo: 2 });
    // Frame 5 after frame 1: frames 2–4 will be concealed, each as long as frame 5.
    assert.deepEqual(audioTimelineMs(pcm(5), "pcm16", 16000, 2), { ms: 400, countedUpTo: 6 });
    // Frame 3 arriving late, or frame 5 again: already paid for.
    assert.deepEqual(audioTimelineMs(pcm(3), "pcm16", 16000, 6), { ms: 0, countedUpTo: 6 });
    assert.deepEqual(audioTimelineMs(pcm(5), "pcm16", 16000, 6), { ms: 0, countedUpTo: 6 });
    // The largest jump the sequencer conceals (250 frames) costs 25.1 s; one further is refused there
    // (AUDIO_SEQUENCE_GAP), so it costs its own length and moves nothing.
    assert.deepEqual(audioTimelineMs(pcm(252), "pcm16", 16000, 2), { ms: 25_100, countedUpTo: 253 });
    assert.deepEqual(audioTimelineMs(pcm(253), "pcm16", 16000, 2), { ms: 100, countedUpTo: 2 });
    // Opus: the packet's own length from its TOC byte.
    const opus = encodeAudioFrame(10, Uint8Array.of((19 << 3) | 0, 0));
    assert.deepEqual(audioTimelineMs(opus, "opus", 48000, 0), { ms: 220, countedUpTo: 11 });
    // Too short to hold a sequence number: its own (zero) length; the pipeline refuses it.
    assert.deepEqual(audioTimelineMs(Uint8Array.of(1, 2), "pcm16", 16000, 4), { ms: 0, countedUpTo: 4 });
  });
});
