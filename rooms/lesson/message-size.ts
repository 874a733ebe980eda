/**
 * Colyseus unpacks a data message whole (RoomMessages.onData) before any handler can refuse it:
 * one client sending 1,000 messages of 58 KB a second slowed every lesson on the process. The room
 * looks at the raw bytes first and refuses, unread, a data message larger than any the protocol has.
 * Audio frames (ROOM_DATA_BYTES) are not unpacked and have their own byte limits.
 */
import { Protocol } from "@colyseus/core";
import { decode } from "@colyseus/schema";

/**
 * The largest data message a client needs: a tutor's 1,000-character note is at most ~4 KB of UTF-8,
 * with room for its learner id and padding around the text (it is trimmed after it arrives).
 */
export const MESSAGE_MAX_BYTES = 8 * 1024;

/** A message whose code Colyseus reads and ignores: sent on in place of an oversized one, it still counts toward the flood close. */
export const COUNTED_ONLY = Uint8Array.of(Protocol.ROOM_STATE);

const CODE_MASK = 0x1f;

/**
 * An oversized data or request message, with its type name when that is a short string (every
 * message type is; a long one is not read), or null for a message the room may unpack.
 */
export function oversizedMessage(buffer: Uint8Array, maxBytes = MESSAGE_MAX_BYTES): { type: string | null } | null {
  if (buffer.byteLength <= maxBytes) return null;
  const code = buffer[0] & CODE_MASK;
  if (code === Protocol.ROOM_REQUEST) return { type: null };
  if (code !== Protocol.ROOM_DATA) return null;
  // A msgpack fixstr (0xa0–0xbf) holds at most 31 bytes: cheap to read whatever follows it.
  const isShortString = (buffer[1] & 0xe0) === 0xa0;
  return { type: isShortString ? decode.string(buffer, { offset: 1 }) : null };
}
