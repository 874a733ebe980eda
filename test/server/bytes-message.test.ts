import assert from "node:assert/strict";
import { getMessageBytes, Protocol } from "@colyseus/core";
import { bytesMessage } from "../../server/transport/bytes-message.ts";
import { decodeRelayFrame, encodeAudioFrame, encodeRelayPrefix } from "../../protocol/audio-frames.ts";

describe("bytesMessage (the relay's wire message)", () => {
  const prefix = encodeRelayPrefix("att-1");
  const frame = encodeAudioFrame(7, Uint8Array.from({ length: 640 }, (_, i) => i & 255));

  it("is byte for byte what Colyseus' broadcastBytes sends for the joined parts", () => {
    const joined = new Uint8Array(prefix.byteLength + frame.byteLength);
    joined.set(prefix, 0);
    joined.set(frame, prefix.byteLength);
    const colyseus = Uint8Array.from(getMessageBytes.raw(Protocol.ROOM_DATA_BYTES, "learner-audio", undefined, joined));
    assert.deepEqual(new Uint8Array(bytesMessage("learner-audio", prefix, frame)), colyseus);
  });

  it("keeps its header when Colyseus encodes other messages in between, and reads back as the relayed frame", () => {
    const first = bytesMessage("learner-audio", prefix, frame);
    // Colyseus encodes into one shared buffer: a header taken from it must have been copied out.
    getMessageBytes.raw(Protocol.ROOM_DATA, "utterance-started", { learnerId: "someone-else" });
    getMessageBytes.raw(Protocol.ROOM_DATA_BYTES, "x", undefined, new Uint8Array(900).fill(9));
    const second = bytesMessage("learner-audio", prefix, frame);
    assert.deepEqual(second, first);
    const headerLength = first.byteLength - prefix.byteLength - frame.byteLength;
    assert.equal(first[0], Protocol.ROOM_DATA_BYTES);
    const relayed = decodeRelayFrame(first.subarray(headerLength));
    assert.equal(relayed.attemptId, "att-1");
    assert.equal(relayed.sequence, 7);
    assert.deepEqual(new Uint8Array(relayed.frame), frame);
  });

  it("is a new buffer each time (a transport or a joining client may hold it after send returns)", () => {
    const a = bytesMessage("learner-audio", prefix, frame);
    const b = bytesMessage("learner-audio", prefix, frame);
    assert.notEqual(a.buffer === b.buffer && a.byteOffset === b.byteOffset, true);
    b[b.byteLength - 1] ^= 0xff;
    assert.notEqual(a[a.byteLength - 1], b[b.byteLength - 1]);
  });
});
