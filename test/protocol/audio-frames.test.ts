import assert from "node:assert/strict";
import {
  decodeAudioFrame, decodeRelayFrame, encodeAudioFrame, encodeRelayFrame, encodeRelayPrefix,
} from "../../protocol/audio-frames.ts";

describe("protocol audio frames", () => {
  it("writes [uint32 LE sequence][payload], from samples or from bytes", () => {
    assert.deepEqual([...encodeAudioFrame(0x01020304, Int16Array.from([1, -2]))], [4, 3, 2, 1, 1, 0, 0xfe, 0xff]);
    assert.deepEqual([...encodeAudioFrame(1, Uint8Array.from([9, 8, 7]))], [1, 0, 0, 0, 9, 8, 7]);
  });

  it("reads a frame through a view at any offset, without copying the payload", () => {
    const backing = new Uint8Array(20);
    backing.set(encodeAudioFrame(77, Uint8Array.from([5, 6])), 3);
    const view = backing.subarray(3, 9);
    const frame = decodeAudioFrame(view);
    assert.equal(frame.sequence, 77);
    assert.deepEqual([...frame.payload], [5, 6]);
    assert.equal(frame.payload.buffer, backing.buffer);
  });

  it("refuses a frame with no audio after the sequence number", () => {
    assert.throws(() => decodeAudioFrame(Uint8Array.from([1, 0, 0, 0])), RangeError);
    assert.throws(() => encodeAudioFrame(-1, new Uint8Array(2)), RangeError);
    assert.throws(() => encodeAudioFrame(2 ** 32, new Uint8Array(2)), RangeError);
  });

  it("relays [n][attempt id][the frame as sent] and reads it back", () => {
    const frame = encodeAudioFrame(3, Int16Array.from([100, -100]));
    const relayed = encodeRelayFrame(encodeRelayPrefix("web-abc"), frame);
    assert.equal(relayed[0], 7);
    const read = decodeRelayFrame(relayed);
    assert.equal(read.attemptId, "web-abc");
    assert.equal(read.sequence, 3);
    assert.deepEqual([...read.frame], [...frame]);
    assert.deepEqual([...read.payload], [100, 0, 0x9c, 0xff]);
  });

  it("refuses attempt ids that are not ASCII or too long for one length byte", () => {
    assert.throws(() => encodeRelayPrefix("안녕"), RangeError);
    assert.throws(() => encodeRelayPrefix("a".repeat(256)), RangeError);
  });

  it("refuses a relayed message too short for its header", () => {
    assert.throws(() => decodeRelayFrame(Uint8Array.from([5, 65, 66])), RangeError);
  });
});
