/**
 * The two binary layouts of the lesson room (docs/protocol.md), shared by the server, the web
 * client and (mirrored) the Unity package:
 *   - `audio` (learner → server): `[uint32 LE sequence][payload]`, the payload PCM16 LE mono
 *     samples or one Opus packet; the sequence starts at 0 for each utterance;
 *   - `learner-audio` (server → listeners): `[uint8 n][attemptId, n ASCII bytes][the audio frame as sent]`.
 * Pure functions over bytes: no server or browser dependency, so both sides run the same code.
 */

/** The binary message types whose layouts this file owns. */
export const BYTES_MESSAGES = { audio: "audio", learnerAudio: "learner-audio" } as const;

/** Bytes before an audio frame's payload: the uint32 little-endian sequence number. */
export const AUDIO_FRAME_HEADER_BYTES = 4;
/** Attempt ids are at most this long (protocol/client-messages.ts), so the length fits one byte. */
export const MAX_RELAY_ATTEMPT_ID_BYTES = 255;

export interface DecodedAudioFrame {
  sequence: number;
  /** A view into the given bytes (no copy): copy it before the transport reuses the buffer. */
  payload: Uint8Array;
}

export interface DecodedRelayFrame extends DecodedAudioFrame {
  attemptId: string;
  /** The whole audio frame as the learner sent it (header included), a view. */
  frame: Uint8Array;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Builds an `audio` frame; a PCM payload may be given as samples (written little-endian). */
export function encodeAudioFrame(sequence: number, payload: Uint8Array | Int16Array): Uint8Array {
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 0xffff_ffff) {
    throw new RangeError(`sequence must be an unsigned 32-bit integer, got ${sequence}`);
  }
  const payloadBytes = payload instanceof Int16Array ? payload.length * 2 : payload.byteLength;
  const frame = new Uint8Array(AUDIO_FRAME_HEADER_BYTES + payloadBytes);
  new DataView(frame.buffer).setUint32(0, sequence, true);
  if (payload instanceof Int16Array) writeSamplesLE(payload, frame, AUDIO_FRAME_HEADER_BYTES);
  else frame.set(payload, AUDIO_FRAME_HEADER_BYTES);
  return frame;
}

/** Samples written as little-endian bytes (the wire's order) into `target` from byte `offset`, without an array in between. */
export function writeSamplesLE(samples: Int16Array, target: Uint8Array, offset: number): void {
  if (offset + samples.byteLength > target.byteLength) throw new RangeError(`${samples.length} samples do not fit at byte ${offset} in ${target.byteLength}`);
  if (HOST_IS_LITTLE_ENDIAN) {
    target.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), offset);
  } else {
    const view = new DataView(target.buffer, target.byteOffset + offset, samples.byteLength);
    for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i], true);
  }
}

/**
 * Reads an `audio` frame's header. `bytes` may be a view with a non-zero offset into a buffer the
 * transport reuses: the header is read through the view's own offset and the payload is a view.
 */
export function decodeAudioFrame(bytes: Uint8Array): DecodedAudioFrame {
  if (bytes.byteLength <= AUDIO_FRAME_HEADER_BYTES) {
    throw new RangeError(`an audio frame needs a ${AUDIO_FRAME_HEADER_BYTES}-byte sequence number followed by audio (got ${bytes.byteLength} bytes)`);
  }
  return { sequence: audioFrameSequence(bytes), payload: bytes.subarray(AUDIO_FRAME_HEADER_BYTES) };
}

/** The sequence number of an audio frame (its first four bytes, little-endian); the caller checked the length. */
export function audioFrameSequence(bytes: Uint8Array): number {
  // Read byte by byte: no DataView per frame (this runs 50 times a second per speaker).
  return (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
}

/** The `[n][attemptId]` prefix of every relayed frame of one utterance: build it once per utterance. */
export function encodeRelayPrefix(attemptId: string): Uint8Array {
  const prefix = new Uint8Array(1 + attemptId.length);
  for (let i = 0; i < attemptId.length; i++) {
    const code = attemptId.charCodeAt(i);
    if (code > 0x7f) throw new RangeError(`attempt ids are ASCII; got ${JSON.stringify(attemptId)}`);
    prefix[1 + i] = code;
  }
  if (attemptId.length > MAX_RELAY_ATTEMPT_ID_BYTES) throw new RangeError(`attempt id longer than ${MAX_RELAY_ATTEMPT_ID_BYTES} bytes`);
  prefix[0] = attemptId.length;
  return prefix;
}

/** A `learner-audio` message: the utterance's prefix followed by the frame as the learner sent it. */
export function encodeRelayFrame(prefix: Uint8Array, frame: Uint8Array): Uint8Array {
  const relayed = new Uint8Array(prefix.byteLength + frame.byteLength);
  relayed.set(prefix, 0);
  relayed.set(frame, prefix.byteLength);
  return relayed;
}

export function decodeRelayFrame(bytes: Uint8Array): DecodedRelayFrame {
  const idLength = bytes[0];
  if (bytes.byteLength < 1 + idLength + AUDIO_FRAME_HEADER_BYTES + 1) {
    throw new RangeError(`learner-audio message too short (${bytes.byteLength} bytes)`);
  }
  let attemptId = "";
  for (let i = 1; i <= idLength; i++) attemptId += String.fromCharCode(bytes[i]);
  const frame = bytes.subarray(1 + idLength);
  return { attemptId, frame, ...decodeAudioFrame(frame) };
}
