/**
 * What the room checks in a message's raw bytes before Colyseus reads it (RoomMessages), because
 * Colyseus' own handling of these cases is worse than a refusal with a code:
 * - a data message is unpacked whole before any handler can refuse it: one client sending 1,000
 *   messages of 58 KB a second slowed every lesson on the process. Larger than any the protocol has:
 *   refused unread (MESSAGE_TOO_LARGE).
 * - a data message whose payload is not MessagePack (truncated, an unknown extension) made Colyseus
 *   close the socket with no code or sentence and log the guest's bytes as an error: MESSAGE_INVALID.
 * - a request (room.request, Protocol.ROOM_REQUEST) is answered inside Colyseus, past the room's
 *   message budget and its MESSAGE_UNKNOWN, echoing the type name; nothing in this protocol is a
 *   request: MESSAGE_UNKNOWN, charged like any unknown message.
 * Audio frames (ROOM_DATA_BYTES) are not unpacked and have their own byte and duration limits.
 */
import { Protocol, type Client } from "@colyseus/core";
import { decode } from "@colyseus/schema";
import { unpack } from "msgpackr";
import { KotoError } from "../../server/errors.ts";

/**
 * The largest data message a client needs: a tutor's 1,000-character note is at most ~4 KB of UTF-8,
 * with room for its learner id and padding around the text (it is trimmed after it arrives).
 */
export const MESSAGE_MAX_BYTES = 8 * 1024;

/** A message whose code Colyseus reads and ignores: sent on in place of a refused one, it still counts toward the flood close. */
export const COUNTED_ONLY = Uint8Array.of(Protocol.ROOM_STATE);

const CODE_MASK = 0x1f;

export interface ScreenedOut {
  /** The message's type when it could be read as a short name (every type of the protocol is one). */
  type: string | null;
  error: KotoError;
}

/** A refusal for a message the room must not hand to Colyseus, or null for one it may. */
export function screenMessage(buffer: Uint8Array, maxBytes = MESSAGE_MAX_BYTES): ScreenedOut | null {
  const code = buffer[0] & CODE_MASK;
  if (code === Protocol.ROOM_REQUEST) {
    return { type: null, error: new KotoError("MESSAGE_UNKNOWN", "this server answers no requests (room.request); send messages with room.send") };
  }
  if (code !== Protocol.ROOM_DATA) return null;
  if (buffer.byteLength > maxBytes) {
    // A msgpack fixstr (0xa0–0xbf) holds at most 31 bytes: cheap to read whatever follows it.
    const type = (buffer[1] & 0xe0) === 0xa0 ? decode.string(buffer, { offset: 1 }) : null;
    return { type, error: new KotoError("MESSAGE_TOO_LARGE", `a message of ${buffer.byteLength} bytes is larger than any message needs (${maxBytes}); it was not read`, 413) };
  }
  // Read the way Colyseus reads it (RoomMessages.onData): the type, then the payload if any bytes are left.
  const it = { offset: 1 };
  let type: string | null = null;
  try {
    const name: unknown = decode.stringCheck(buffer, it) ? decode.string(buffer, it) : decode.number(buffer, it);
    type = typeof name === "string" ? name : null;
    if (buffer.byteLength > it.offset) unpack(buffer.subarray(it.offset));
  } catch (error) {
    return { type, error: new KotoError("MESSAGE_INVALID", `the message could not be read as MessagePack (${(error as Error).message}); send it with room.send`) };
  }
  return null;
}

/** Colyseus' per-connection flood counters (Room._onMessage, Colyseus 0.18), on the client object. */
interface FloodCounters {
  _lastMessageTime?: number;
  _numMessagesLastSecond?: number;
  _messageCountResetsAt?: number;
}

/**
 * Counts a message the room handles without Colyseus (a learner's audio frame) toward Colyseus' flood
 * close, exactly as Room._onMessage counts one. False when this message is over the ceiling and
 * nothing was counted: the caller then hands it to Colyseus, which counts it and closes the connection.
 */
export function countedAsColyseusDoes(client: Client, now: number, maxPerSecond: number): boolean {
  const counters = client as unknown as FloodCounters;
  if (now >= (counters._messageCountResetsAt ?? 0)) {
    counters._numMessagesLastSecond = 0;
    counters._messageCountResetsAt = now + 1000;
  } else {
    const count = (counters._numMessagesLastSecond ?? 0) + 1;
    if (count > maxPerSecond) return false;
    counters._numMessagesLastSecond = count;
  }
  counters._lastMessageTime = now;
  return true;
}
