import { KotoError } from "../../errors.ts";
import { bytesLEToInt16, writeSamplesLE } from "./frame.ts";

export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved when there is more than one channel. */
  samples: Int16Array;
}

export const WAV_HEADER_BYTES = 44;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** A canonical 44-byte-header RIFF/WAVE file of 16-bit PCM: what speech-to-text services accept. */
export function encodeWav(samples: Int16Array, sampleRate: number, channels = 1): Uint8Array<ArrayBuffer> {
  const wav = new Uint8Array(WAV_HEADER_BYTES + samples.length * 2);
  wav.set(wavHeader(samples.length * 2, sampleRate, channels));
  writeSamplesLE(samples, wav, WAV_HEADER_BYTES);
  return wav;
}

/**
 * The 44-byte header of such a file holding `dataBytes` of samples: also written ahead of samples that
 * are still arriving (a spool), then again once their length is known.
 */
export function wavHeader(dataBytes: number, sampleRate: number, channels = 1): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`bad sample rate ${sampleRate}`);
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(header.buffer);
  writeTag(view, 0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  writeTag(view, 8, "WAVE");
  writeTag(view, 12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  writeTag(view, 36, "data");
  view.setUint32(40, dataBytes, true);
  return header;
}

/**
 * Reads a 16-bit PCM WAV file, skipping chunks other than "fmt " and "data" (LIST, fact...).
 * A data chunk longer than the file (as streaming writers leave it) is read up to the last whole frame.
 */
export function decodeWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || readTag(view, 0) !== "RIFF" || readTag(view, 8) !== "WAVE") {
    throw invalid("it does not start with a RIFF/WAVE header");
  }
  let format: { channels: number; sampleRate: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const tag = readTag(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (tag === "fmt ") {
      format = readFormat(view, body, size);
    } else if (tag === "data") {
      if (!format) throw invalid('the "data" chunk comes before the "fmt " chunk');
      const frameBytes = format.channels * 2;
      const available = Math.min(size, bytes.byteLength - body);
      const usable = available - (available % frameBytes);
      return { ...format, samples: bytesLEToInt16(bytes.subarray(body, body + usable)) };
    }
    offset = body + size + (size % 2);
  }
  throw invalid(format ? 'it has no "data" chunk' : 'it has no "fmt " chunk');
}

function readFormat(view: DataView, offset: number, size: number): { channels: number; sampleRate: number } {
  if (size < 16 || offset + 16 > view.byteLength) throw invalid('its "fmt " chunk is too short');
  let formatTag = view.getUint16(offset, true);
  const channels = view.getUint16(offset + 2, true);
  const sampleRate = view.getUint32(offset + 4, true);
  const blockAlign = view.getUint16(offset + 12, true);
  const bitsPerSample = view.getUint16(offset + 14, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 40 && offset + 26 <= view.byteLength) {
    // The sub-format GUID starts with the plain format tag.
    formatTag = view.getUint16(offset + 24, true);
  }
  if (formatTag !== WAVE_FORMAT_PCM) throw invalid(`its audio format is ${formatTag}, not PCM (1)`);
  if (bitsPerSample !== 16) throw invalid(`it has ${bitsPerSample}-bit samples; only 16-bit PCM is read`);
  if (channels < 1 || channels > 8) throw invalid(`it declares ${channels} channels`);
  if (sampleRate < 1000 || sampleRate > 384000) throw invalid(`it declares a sample rate of ${sampleRate} Hz`);
  if (blockAlign !== channels * 2) throw invalid(`its block alignment ${blockAlign} does not match ${channels} channel(s) of 16-bit samples`);
  return { channels, sampleRate };
}

function invalid(reason: string): KotoError {
  return new KotoError("AUDIO_WAV_INVALID", `the file is not a usable WAV: ${reason}; send 16-bit PCM WAV`);
}

function readTag(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

function writeTag(view: DataView, offset: number, tag: string): void {
  for (let i = 0; i < 4; i++) view.setUint8(offset + i, tag.charCodeAt(i));
}
