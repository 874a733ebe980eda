import assert from "node:assert/strict";
import { getMessageBytes, Protocol } from "@colyseus/core";
import { bytesMessage, bytesMessageBody } from "../../server/transport/bytes-message.ts";
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

describe("bytesMessageBody (a learner's audio frame, read without Colyseus' dispatch)", () => {
  const frame = encodeAudioFrame(3, Uint8Array.from({ length: 640 }, (_, i) => (i * 7) & 255));
  const wire = (code: Protocol, type: string | number, body?: Uint8Array) => Uint8Array.from(getMessageBytes.raw(code, type, undefined, body));

  it("finds the body of a bytes message of that type, as a view of the wire bytes", () => {
    const sent = wire(Protocol.ROOM_DATA_BYTES, "audio", frame);
    const body = bytesMessageBody(sent, "audio");
    assert.ok(body);
    assert.deepEqual(new Uint8Array(body), frame);
    assert.equal(body.buffer, sent.buffer);
    assert.deepEqual(bytesMessageBody(wire(Protocol.ROOM_DATA_BYTES, "audio", new Uint8Array(0)), "audio"), new Uint8Array(0));
  });

  it("is null for anything else: another type, a data message, a numeric type, a message cut short", () => {
    for (const other of [
      wire(Protocol.ROOM_DATA_BYTES, "audios", frame), wire(Protocol.ROOM_DATA_BYTES, "audi", frame),
      wire(Protocol.ROOM_DATA_BYTES, "learner-audio", frame), wire(Protocol.ROOM_DATA, "audio", frame),
      wire(Protocol.ROOM_DATA_BYTES, 1, frame), Uint8Array.of(Protocol.ROOM_DATA_BYTES, 0xa5, 0x61), new Uint8Array(0),
    ]) assert.equal(bytesMessageBody(other, "audio"), null, String(Array.from(other.subarray(0, 8))));
  });
});
