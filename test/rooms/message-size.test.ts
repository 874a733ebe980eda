import assert from "node:assert/strict";
import { getMessageBytes, Protocol } from "@colyseus/core";
import { MESSAGE_MAX_BYTES, oversizedMessage } from "../../rooms/lesson/message-size.ts";

describe("oversizedMessage", () => {
  it("passes every message up to the limit, whatever its kind", () => {
    const note = getMessageBytes.raw(Protocol.ROOM_DATA, "note", { learnerId: "a".repeat(64), text: "나".repeat(1000) });
    assert.ok(note.byteLength < MESSAGE_MAX_BYTES, "the protocol's largest message fits");
    assert.equal(oversizedMessage(note), null);
    // Audio frames are never unpacked as msgpack: their own limits apply (MAX_AUDIO_FRAME_BYTES).
    const frame = getMessageBytes.raw(Protocol.ROOM_DATA_BYTES, "audio", undefined, new Uint8Array(MESSAGE_MAX_BYTES * 2));
    assert.equal(oversizedMessage(frame), null);
  });

  it("flags a larger data message with its type, a request without, and leaves a long type name unread", () => {
    const answer = getMessageBytes.raw(Protocol.ROOM_DATA, "answer", { text: "가".repeat(5000) });
    assert.deepEqual(oversizedMessage(answer), { type: "answer" });
    const numbered = getMessageBytes.raw(Protocol.ROOM_DATA, 7 as never, { text: "가".repeat(5000) });
    assert.deepEqual(oversizedMessage(numbered), { type: null });
    const longName = getMessageBytes.raw(Protocol.ROOM_DATA, "x".repeat(20_000), {});
    assert.deepEqual(oversizedMessage(longName), { type: null });
    const request = new Uint8Array(MESSAGE_MAX_BYTES + 1);
    request[0] = Protocol.ROOM_REQUEST;
    assert.deepEqual(oversizedMessage(request), { type: null });
    assert.equal(oversizedMessage(answer, answer.byteLength), null, "the limit itself is allowed");
  });
});
