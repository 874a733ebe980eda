/**
 * The wire format of audio on the lesson room (docs/protocol.md): a learner sends
 * `[uint32 LE sequence][PCM16 LE samples]`; tutors receive `learner-audio` as
 * `[uint8 n][attemptId, n ASCII bytes][the learner's frame as sent]`.
 */

/** 20 ms at 16 kHz: the frame size the server's endpointing works in. */
export const FRAME_SAMPLES = 320;
export const PIPELINE_SAMPLE_RATE = 16000;

export function encodeAudioFrame(sequence: number, samples: Int16Array): Uint8Array {
  const frame = new Uint8Array(4 + samples.length * 2);
  const view = new DataView(frame.buffer);
  view.setUint32(0, sequence >>> 0, true);
  for (let index = 0; index < samples.length; index++) view.setInt16(4 + index * 2, samples[index], true);
  return frame;
}

export interface RelayedFrame {
  attemptId: string;
  sequence: number;
  /** The codec payload: PCM16 LE bytes or one Opus packet. */
  payload: Uint8Array;
}

export function parseLearnerAudio(bytes: Uint8Array): RelayedFrame {
  const idLength = bytes[0];
  if (bytes.byteLength < 1 + idLength + 4) throw new RangeError(`learner-audio message too short (${bytes.byteLength} bytes)`);
  const attemptId = String.fromCharCode(...bytes.subarray(1, 1 + idLength));
  const frameStart = 1 + idLength;
  const view = new DataView(bytes.buffer, bytes.byteOffset + frameStart, 4);
  return { attemptId, sequence: view.getUint32(0, true), payload: bytes.subarray(frameStart + 4) };
}

/** PCM16 little-endian bytes to floats in [-1, 1). Reads through a DataView: the bytes may sit at any offset. */
export function pcm16ToFloat32(payload: Uint8Array): Float32Array {
  const count = payload.byteLength >> 1;
  const view = new DataView(payload.buffer, payload.byteOffset, count * 2);
  const samples = new Float32Array(count);
  for (let index = 0; index < count; index++) samples[index] = view.getInt16(index * 2, true) / 32768;
  return samples;
}

export function floatToPcm16(sample: number): number {
  const clamped = sample > 1 ? 1 : sample < -1 ? -1 : sample;
  return clamped < 0 ? Math.round(clamped * 32768) : Math.round(clamped * 32767);
}
