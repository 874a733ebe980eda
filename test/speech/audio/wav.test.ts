import assert from "node:assert/strict";
import { decodeWav, encodeWav } from "../../../server/speech/audio/wav.ts";
import { expectKotoError, fixtureBytes, loadFixture } from "./signals.ts";

function chunk(tag: string, body: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(8 + body.length + (body.length % 2));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = tag.charCodeAt(i);
  view.setUint32(4, body.length, true);
  bytes.set(body, 8);
  return bytes;
}

function fmtBody(fields: { format?: number; channels?: number; rate?: number; bits?: number; align?: number; extra?: number[] }) {
  const { format = 1, channels = 1, rate = 16000, bits = 16 } = fields;
  const align = fields.align ?? channels * (bits / 8);
  const body = new Uint8Array(16 + (fields.extra?.length ?? 0));
  const view = new DataView(body.buffer);
  view.setUint16(0, format, true);
  view.setUint16(2, channels, true);
  view.setUint32(4, rate, true);
  view.setUint32(8, rate * align, true);
  view.setUint16(12, align, true);
  view.setUint16(14, bits, true);
  body.set(fields.extra ?? [], 16);
  return body;
}

function riff(...chunks: Uint8Array[]): Uint8Array {
  const body = chunks.reduce((sum, c) => sum + c.length, 0);
  const bytes = new Uint8Array(12 + body);
  const view = new DataView(bytes.buffer);
  bytes.set([0x52, 0x49, 0x46, 0x46], 0);
  view.setUint32(4, 4 + body, true);
  bytes.set([0x57, 0x41, 0x56, 0x45], 8);
  let offset = 12;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return bytes;
}

const pcm = (...samples: number[]) => new Uint8Array(new Int16Array(samples).buffer);

describe("WAV", () => {
  it("writes byte for byte the canonical file sox writes", () => {
    const { samples, sampleRate } = loadFixture("annyeonghaseyo");
    assert.deepEqual(encodeWav(samples, sampleRate), fixtureBytes("annyeonghaseyo"));
  });

  it("reads back what it writes, mono and stereo", () => {
    const mono = new Int16Array([0, 1, -1, 32767, -32768]);
    assert.deepEqual(decodeWav(encodeWav(mono, 8000)), { sampleRate: 8000, channels: 1, samples: mono });
    const stereo = new Int16Array([1, 2, 3, 4]);
    assert.deepEqual(decodeWav(encodeWav(stereo, 44100, 2)), { sampleRate: 44100, channels: 2, samples: stereo });
  });

  it("reads a view at an odd offset inside a larger buffer", () => {
    const wav = encodeWav(new Int16Array([7, -7, 700]), 16000);
    const backing = new Uint8Array(wav.length + 5);
    backing.set(wav, 3);
    assert.deepEqual([...decodeWav(backing.subarray(3, 3 + wav.length)).samples], [7, -7, 700]);
  });

  it("skips chunks it does not need, with their padding byte", () => {
    const wav = riff(chunk("LIST", new Uint8Array([1, 2, 3])), chunk("fmt ", fmtBody({})), chunk("data", pcm(5, -5)));
    assert.deepEqual([...decodeWav(wav).samples], [5, -5]);
  });

  it("reads WAVE_FORMAT_EXTENSIBLE with a PCM sub-format", () => {
    const extension = [22, 0, 16, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 16, 0, 128, 0, 0, 170, 0, 56, 155, 113];
    const wav = riff(chunk("fmt ", fmtBody({ format: 0xfffe, extra: extension })), chunk("data", pcm(9)));
    assert.deepEqual([...decodeWav(wav).samples], [9]);
  });

  it("reads a data chunk cut short (as streaming writers leave it) up to the last whole frame", () => {
    const wav = encodeWav(new Int16Array([1, 2, 3, 4]), 16000, 2);
    assert.deepEqual([...decodeWav(wav.subarray(0, wav.length - 3)).samples], [1, 2]);
  });

  const invalid: Array<[string, Uint8Array]> = [
    ["an empty file", new Uint8Array(0)],
    ["an MP3 file", new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
    ["RIFF that is not WAVE", (() => { const w = encodeWav(new Int16Array(2), 16000); w.set([0x41, 0x56, 0x49, 0x20], 8); return w; })()],
    ["no fmt chunk", riff(chunk("data", pcm(1)))],
    ["no data chunk", riff(chunk("fmt ", fmtBody({})))],
    ["a short fmt chunk", riff(chunk("fmt ", new Uint8Array(8)), chunk("data", pcm(1)))],
    ["8-bit samples", riff(chunk("fmt ", fmtBody({ bits: 8 })), chunk("data", new Uint8Array(2)))],
    ["32-bit float samples", riff(chunk("fmt ", fmtBody({ format: 3, bits: 32 })), chunk("data", new Uint8Array(4)))],
    ["zero channels", riff(chunk("fmt ", fmtBody({ channels: 0, align: 2 })), chunk("data", pcm(1)))],
    ["a block alignment that does not fit", riff(chunk("fmt ", fmtBody({ align: 4 })), chunk("data", pcm(1)))],
    ["a sample rate of 0", riff(chunk("fmt ", fmtBody({ rate: 0 })), chunk("data", pcm(1)))],
  ];
  for (const [what, bytes] of invalid) {
    it(`refuses ${what} as AUDIO_WAV_INVALID`, () => {
      const error = expectKotoError(() => decodeWav(bytes), "AUDIO_WAV_INVALID");
      assert.match(error.message, /16-bit PCM WAV/);
    });
  }
});
