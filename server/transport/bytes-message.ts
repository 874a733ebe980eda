/**
 * A Colyseus bytes message (what `room.broadcastBytes(type, bytes)` sends, and `room.onMessageBytes`
 * reads on the client) built from parts, once, for every listener. The relay sends one for each audio
 * frame of each speaker: Colyseus' own path copies the frame twice (into its shared frame buffer,
 * then out of it), allocates an `except` list and formats a debug line per call; this one writes the
 * header (encoded by Colyseus once per type) and the parts into one buffer and nothing else.
 */
import { getMessageBytes, Protocol } from "@colyseus/core";

const headers = new Map<string, Uint8Array>();

function headerOf(type: string): Uint8Array {
  let header = headers.get(type);
  if (!header) {
    // Copied out: Colyseus' encoder returns a view of a buffer it reuses.
    header = Uint8Array.from(getMessageBytes.raw(Protocol.ROOM_DATA_BYTES, type));
    headers.set(type, header);
  }
  return header;
}

/**
 * The wire bytes of a bytes message `type` whose body is `parts` in order. A new buffer each time:
 * a transport may hold it after `send` returns (the ws transport writes it later), and a client
 * still joining keeps it queued.
 */
export function bytesMessage(type: string, ...parts: Uint8Array[]): Buffer {
  const header = headerOf(type);
  let length = header.byteLength;
  for (const part of parts) length += part.byteLength;
  const wire = Buffer.allocUnsafe(length);
  wire.set(header, 0);
  let at = header.byteLength;
  for (const part of parts) {
    wire.set(part, at);
    at += part.byteLength;
  }
  return wire;
}

/**
 * The body of `wire` when it is a bytes message `type` (a view, no copy), else null: what Colyseus'
 * dispatch finds for it, read without decoding the type's name or building anything.
 */
export function bytesMessageBody(wire: Uint8Array, type: string): Uint8Array | null {
  const header = headerOf(type);
  if (wire.byteLength < header.byteLength) return null;
  for (let i = 0; i < header.byteLength; i++) if (wire[i] !== header[i]) return null;
  return wire.subarray(header.byteLength);
}
