import assert from "node:assert/strict";
import { ClientState, getMessageBytes, Protocol, Room, type Client } from "@colyseus/core";
import { MESSAGE_MAX_BYTES, countedAsColyseusDoes, screenMessage } from "../../rooms/lesson/message-screen.ts";

const refusal = (buffer: Uint8Array, maxBytes?: number) => {
  const screened = screenMessage(buffer, maxBytes);
  return screened && { type: screened.type, code: screened.error.code };
};

describe("screenMessage", () => {
  it("passes every well-formed message up to the limit, whatever its kind", () => {
    const note = getMessageBytes.raw(Protocol.ROOM_DATA, "note", { learnerId: "a".repeat(64), text: "나".repeat(1000) });
    assert.ok(note.byteLength < MESSAGE_MAX_BYTES, "the protocol's largest message fits");
    assert.equal(screenMessage(note), null);
    assert.equal(screenMessage(getMessageBytes.raw(Protocol.ROOM_DATA, "start")), null, "a message without a payload");
    assert.equal(screenMessage(getMessageBytes.raw(Protocol.ROOM_DATA, 7 as never, { step: 1 })), null, "a numbered type");
    // Audio frames are never unpacked as msgpack: their own limits apply (MAX_AUDIO_FRAME_BYTES).
    const frame = getMessageBytes.raw(Protocol.ROOM_DATA_BYTES, "audio", undefined, new Uint8Array(MESSAGE_MAX_BYTES * 2));
    assert.equal(screenMessage(frame), null);
    assert.equal(screenMessage(Uint8Array.of(Protocol.PING)), null);
  });

  it("refuses a larger data message unread, with its type, and leaves a long type name unread", () => {
    const answer = getMessageBytes.raw(Protocol.ROOM_DATA, "answer", { text: "가".repeat(5000) });
    assert.deepEqual(refusal(answer), { type: "answer", code: "MESSAGE_TOO_LARGE" });
    const numbered = getMessageBytes.raw(Protocol.ROOM_DATA, 7 as never, { text: "가".repeat(5000) });
    assert.deepEqual(refusal(numbered), { type: null, code: "MESSAGE_TOO_LARGE" });
    const longName = getMessageBytes.raw(Protocol.ROOM_DATA, "x".repeat(20_000), {});
    assert.deepEqual(refusal(longName), { type: null, code: "MESSAGE_TOO_LARGE" });
    assert.equal(screenMessage(answer, answer.byteLength), null, "the limit itself is allowed");
  });

  it("refuses a payload that is not MessagePack: truncated, or an extension nobody registered", () => {
    const head = getMessageBytes.raw(Protocol.ROOM_DATA, "answer");
    const truncated = Uint8Array.of(...head, 0x85, 0xa4);
    assert.deepEqual(refusal(truncated), { type: "answer", code: "MESSAGE_INVALID" });
    const extension = Uint8Array.of(...head, 0xd4, 0x01, 0x00);
    assert.deepEqual(refusal(extension), { type: "answer", code: "MESSAGE_INVALID" });
    assert.match(screenMessage(truncated)!.error.message, /could not be read as MessagePack/);
  });

  it("refuses every request, of any size: nothing in this protocol is one", () => {
    const small = Uint8Array.of(Protocol.ROOM_REQUEST, 0, 0xa3, 0x78, 0x79, 0x7a);
    assert.deepEqual(refusal(small), { type: null, code: "MESSAGE_UNKNOWN" });
    const large = new Uint8Array(MESSAGE_MAX_BYTES + 1);
    large[0] = Protocol.ROOM_REQUEST;
    assert.deepEqual(refusal(large), { type: null, code: "MESSAGE_UNKNOWN" });
  });
});

describe("countedAsColyseusDoes (audio frames skip Colyseus' dispatch, not its flood count)", () => {
  // Colyseus' own Room._onMessage and ours see the same messages at the same clock times: the
  // counters must agree after each, and ours must refuse exactly the message Colyseus closes on.
  class PlainRoom extends Room {}

  it("keeps the counters Colyseus keeps and refuses the message Colyseus closes the connection on", () => {
    const room = new PlainRoom();
    room.maxMessagesPerSecond = 3;
    let closedAt = -1;
    const theirs: any = {
      state: ClientState.JOINED, sessionId: "a", raw() {}, leave() {},
      ref: { removeAllListeners: () => { if (closedAt < 0) closedAt = step; }, removeListener() {} },
    };
    const ours = { sessionId: "b" } as unknown as Client;
    const times = [1000, 1100, 1200, 1300, 2000, 2001, 2002, 2003, 2004];
    let refusedAt = -1;
    let step = 0;
    for (; step < times.length; step++) {
      (room as any).clock.currentTime = times[step];
      (room as any)._onMessage(theirs, Uint8Array.of(Protocol.PING));
      if (!countedAsColyseusDoes(ours, times[step], room.maxMessagesPerSecond) && refusedAt < 0) refusedAt = step;
      if (closedAt >= 0) break;
      const counters = ours as any;
      assert.deepEqual(
        [counters._numMessagesLastSecond, counters._messageCountResetsAt, counters._lastMessageTime],
        [theirs._numMessagesLastSecond, theirs._messageCountResetsAt, theirs._lastMessageTime], `after message ${step}`,
      );
    }
    // Four messages in the second from 2000 ms on: the first starts the count, the fourth is past 3.
    assert.equal(closedAt, 8);
    assert.equal(refusedAt, 8);
  });
});
