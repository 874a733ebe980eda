/**
 * Model audio as phones want it: a line's WAV re-encoded as Opus in an Ogg file (RFC 7845), which
 * every current browser's <audio> plays. Speech at 24 kbit/s is about a fifteenth of 22 kHz PCM.
 * The codec is libopus (WASM, `@evan/opus`, already used to decode learners' Opus); the container
 * is small enough to write here: two header pages, then pages of 20 ms packets.
 */
import { createHash } from "node:crypto";
import { Encoder } from "@evan/opus";
import { Resampler } from "../speech/audio/resampler.ts";
import { decodeWav } from "../speech/audio/wav.ts";

/** Opus's own rates; anything else (eSpeak's 22,050 Hz) is resampled to 24 kHz: the whole speech band. */
const OPUS_RATES = [8000, 12000, 16000, 24000, 48000] as const;
const RESAMPLE_TO = 24000;
const FRAME_MS = 20;
/** Granule positions in Ogg Opus always count 48 kHz samples, whatever the encoder's rate. */
const GRANULE_RATE = 48000;
export const MODEL_AUDIO_BITRATE = 24000;
/** Packets per page: one second of audio; a page holds at most 255 lacing values. */
const PACKETS_PER_PAGE = 50;
const VENDOR = "KOTO Live (libopus)";
/** libopus's OPUS_GET_LOOKAHEAD_REQUEST (the package's typings misspell the getter). */
const OPUS_GET_LOOKAHEAD = 4027;

export const OGG_OPUS_CONTENT_TYPE = "audio/ogg";

export interface OggOpusAudio {
  bytes: Uint8Array;
  /** Length of the speech, without the encoder's pre-skip. */
  durationMs: number;
}

/** Encodes a 16-bit PCM WAV file (mono, or mixed down to mono) as Ogg Opus. */
export function wavToOggOpus(wav: Uint8Array): OggOpusAudio {
  const audio = decodeWav(wav);
  let samples = mono(audio.samples, audio.channels);
  let rate = audio.sampleRate;
  if (!(OPUS_RATES as readonly number[]).includes(rate)) {
    const resampler = new Resampler(rate, RESAMPLE_TO);
    const head = resampler.process(samples);
    const tail = resampler.flush();
    samples = new Int16Array(head.length + tail.length);
    samples.set(head);
    samples.set(tail, head.length);
    rate = RESAMPLE_TO;
  }
  const encoder = new Encoder({ channels: 1, sample_rate: rate as (typeof OPUS_RATES)[number], application: "audio" });
  encoder.signal = "voice";
  encoder.bitrate = MODEL_AUDIO_BITRATE;
  encoder.complexity = 10;
  const frame = (rate * FRAME_MS) / 1000;
  const toGranule = GRANULE_RATE / rate;
  const preSkip = encoder.ctl(OPUS_GET_LOOKAHEAD) * toGranule;
  const packets: Uint8Array[] = [];
  for (let offset = 0; offset < samples.length; offset += frame) {
    const chunk = new Int16Array(frame);
    chunk.set(samples.subarray(offset, Math.min(offset + frame, samples.length)));
    packets.push(Uint8Array.from(encoder.encode(chunk)));
  }
  // The encoder's lookahead is still inside it: one more (silent) frame lets the last speech out.
  packets.push(Uint8Array.from(encoder.encode(new Int16Array(frame))));

  // A stable serial number (from the audio itself): the same WAV always gives the same file and ETag.
  const serial = createHash("sha256").update(wav).digest().readUInt32LE(0);
  const pages = new OggPageWriter(serial);
  pages.write([opusHead(preSkip, audio.sampleRate)], 0n, { first: true });
  pages.write([opusTags()], 0n);
  const samplesPerPacket = frame * toGranule;
  // The last page's granule position ends the stream exactly where the speech ends (RFC 7845 §4.4).
  const lastGranule = BigInt(preSkip + Math.round(samples.length * toGranule));
  for (let start = 0; start < packets.length; start += PACKETS_PER_PAGE) {
    const slice = packets.slice(start, start + PACKETS_PER_PAGE);
    const last = start + slice.length >= packets.length;
    const granule = last ? lastGranule : BigInt((start + slice.length) * samplesPerPacket);
    pages.write(slice, granule, { last });
  }
  return { bytes: pages.bytes(), durationMs: Math.round((samples.length / rate) * 1000) };
}

function mono(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const out = new Int16Array(Math.floor(samples.length / channels));
  for (let index = 0; index < out.length; index++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += samples[index * channels + channel]!;
    out[index] = Math.round(sum / channels);
  }
  return out;
}

/** The identification header: version 1, one channel, pre-skip, the original rate, no gain, mapping 0. */
function opusHead(preSkip: number, inputRate: number): Uint8Array {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode("OpusHead"));
  head[8] = 1;
  head[9] = 1;
  view.setUint16(10, preSkip, true);
  view.setUint32(12, inputRate, true);
  view.setInt16(16, 0, true);
  head[18] = 0;
  return head;
}

/** The comment header: a vendor string and no comments. */
function opusTags(): Uint8Array {
  const vendor = new TextEncoder().encode(VENDOR);
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  const view = new DataView(tags.buffer);
  tags.set(new TextEncoder().encode("OpusTags"));
  view.setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  view.setUint32(12 + vendor.length, 0, true);
  return tags;
}

class OggPageWriter {
  private readonly pages: Uint8Array[] = [];
  private sequence = 0;

  constructor(private readonly serial: number) {}

  /** One page holding whole packets (each laced as 255-byte segments and a shorter last one). */
  write(packets: Uint8Array[], granule: bigint, flags: { first?: boolean; last?: boolean } = {}): void {
    const lacing: number[] = [];
    for (const packet of packets) {
      for (let left = packet.length; ; left -= 255) {
        lacing.push(Math.min(left, 255));
        if (left < 255) break;
      }
    }
    if (lacing.length > 255) throw new RangeError(`an Ogg page holds at most 255 segments, not ${lacing.length}`);
    const bodyLength = packets.reduce((sum, packet) => sum + packet.length, 0);
    const page = new Uint8Array(27 + lacing.length + bodyLength);
    const view = new DataView(page.buffer);
    page.set(new TextEncoder().encode("OggS"));
    page[4] = 0;
    page[5] = (flags.first ? 0x02 : 0) | (flags.last ? 0x04 : 0);
    view.setBigInt64(6, granule, true);
    view.setUint32(14, this.serial, true);
    view.setUint32(18, this.sequence++, true);
    page[26] = lacing.length;
    page.set(lacing, 27);
    let offset = 27 + lacing.length;
    for (const packet of packets) {
      page.set(packet, offset);
      offset += packet.length;
    }
    view.setUint32(22, oggCrc(page), true);
    this.pages.push(page);
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.pages);
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let remainder = index << 24;
    for (let bit = 0; bit < 8; bit++) remainder = remainder & 0x80000000 ? (remainder << 1) ^ 0x04c11db7 : remainder << 1;
    table[index] = remainder >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, no final XOR), over the page with its CRC field zero. */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc;
}
