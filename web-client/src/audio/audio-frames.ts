/**
 * Audio sizes and sample conversions of the browser side. The wire layouts (`audio` frames and
 * relayed `learner-audio`) come from the shared protocol module, the same code the server runs.
 */
export { decodeRelayFrame, encodeAudioFrame, type DecodedRelayFrame } from "../../../protocol/audio-frames.ts";

/** 20 ms at 16 kHz: the frame size the server's endpointing works in. */
export const FRAME_SAMPLES = 320;
export const PIPELINE_SAMPLE_RATE = 16000;

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
