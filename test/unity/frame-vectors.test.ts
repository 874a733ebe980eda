/**
 * One file of audio frame vectors (test/fixtures/audio-frame-vectors.json) binds the implementations
 * of the frame format: protocol/audio-frames.ts, the web client's float conversion and encoder, the
 * server's parser and the Unity SDK's encoder (NUnit, FrameVectorsTests). The same float samples must give the same bytes.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { encodeAudioFrame, floatToPcm16 } from "../../web-client/src/audio/audio-frames.ts";
import { parseAudioFrame } from "../../server/speech/audio/index.ts";
import { decodeAudioFrame, encodeAudioFrame as encodeProtocolFrame } from "../../protocol/audio-frames.ts";

interface FrameVector { name: string; sequence: number; floats: number[]; pcm16: number[]; hex: string }
const { vectors } = JSON.parse(readFileSync(new URL("../fixtures/audio-frame-vectors.json", import.meta.url), "utf8")) as { vectors: FrameVector[] };

describe("audio frame vectors shared by the web client, the server and the Unity SDK", () => {
  it("holds float32 samples (what Unity and Web Audio hand over)", () => {
    assert.ok(vectors.length >= 5);
    for (const vector of vectors) for (const value of vector.floats) assert.equal(Math.fround(value), value, `${vector.name}: ${value}`);
  });

  for (const vector of vectors) {
    it(`web client encodes "${vector.name}" to the agreed bytes`, () => {
      const samples = Int16Array.from(vector.floats.map(floatToPcm16));
      assert.deepEqual([...samples], vector.pcm16);
      assert.equal(Buffer.from(encodeAudioFrame(vector.sequence, samples)).toString("hex"), vector.hex);
    });

    it(`protocol/ encodes "${vector.name}" to the agreed bytes and decodes them back`, () => {
      assert.equal(Buffer.from(encodeProtocolFrame(vector.sequence, Int16Array.from(vector.pcm16))).toString("hex"), vector.hex);
      const decoded = decodeAudioFrame(Uint8Array.from(Buffer.from(vector.hex, "hex")));
      assert.equal(decoded.sequence, vector.sequence);
      assert.equal(Buffer.from(decoded.payload).toString("hex"), vector.hex.slice(8));
    });

    it(`server reads "${vector.name}" back as the same sequence and samples`, () => {
      const bytes = Uint8Array.from(Buffer.from(vector.hex, "hex"));
      // Offset by one byte inside a larger buffer, as uWS hands frames over.
      const padded = new Uint8Array(bytes.length + 1);
      padded.set(bytes, 1);
      const frame = parseAudioFrame(padded.subarray(1), "pcm16");
      assert.equal(frame.sequence, vector.sequence);
      const payload = frame.payload;
      const samples = new Int16Array(payload.byteLength / 2);
      const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
      for (let index = 0; index < samples.length; index++) samples[index] = view.getInt16(index * 2, true);
      assert.deepEqual([...samples], vector.pcm16);
    });
  }
});
