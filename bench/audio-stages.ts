/**
 * Cost of the audio-in stages per 20 ms of audio on one core, in microseconds.
 * Run alone with `npx tsx bench/audio-stages.ts`; `benchAudioStages()` returns the same figures.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Encoder } from "@evan/opus";
import { createAudioDecoder } from "../server/speech/audio/decoder.ts";
import { createEndpointer } from "../server/speech/audio/endpointer.ts";
import { encodeAudioFrame, int16ToBytesLE, parseAudioFrame } from "../server/speech/audio/frame.ts";
import { FrameSequencer } from "../server/speech/audio/sequencer.ts";
import { createWebRtcVoiceDetector } from "../server/speech/audio/voice-detector.ts";
import { decodeWav } from "../server/speech/audio/wav.ts";

const fixture = (name: string) =>
  decodeWav(new Uint8Array(readFileSync(new URL(`../test/fixtures/audio/${name}.wav`, import.meta.url)))).samples;

function frames(samples: Int16Array, size: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let offset = 0; offset + size <= samples.length; offset += size) out.push(samples.slice(offset, offset + size));
  return out;
}

/** Microseconds per call of `pass`'s inner unit: runs warm-up passes, then enough passes for ~300 ms. */
function measure(unitsPerPass: number, pass: () => void): number {
  for (let i = 0; i < 20; i++) pass();
  let passes = 0;
  const started = performance.now();
  while (performance.now() - started < 300) {
    pass();
    passes++;
  }
  return Math.round((((performance.now() - started) * 1000) / (passes * unitsPerPass)) * 100) / 100;
}

export async function benchAudioStages(): Promise<Record<string, number>> {
  const speech16k = fixture("noisy-gamsahamnida");
  const speech48k = fixture("annyeonghaseyo-48k");
  const frames16k = frames(speech16k, 320);
  const frames48k = frames(speech48k, 960);
  const results: Record<string, number> = {};

  const wireFrames = frames16k.map((frame, i) => encodeAudioFrame(i, frame));
  results.parseAudioFrameUs = measure(wireFrames.length, () => {
    for (const bytes of wireFrames) parseAudioFrame(bytes, "pcm16");
  });

  const pcm16k = createAudioDecoder({ codec: "pcm16", sampleRate: 16000 });
  const payloads16k = frames16k.map(int16ToBytesLE);
  results.pcm16DecodeUs = measure(payloads16k.length, () => {
    for (const payload of payloads16k) pcm16k.decode(payload);
  });

  const pcm48k = createAudioDecoder({ codec: "pcm16", sampleRate: 48000 });
  const payloads48k = frames48k.map(int16ToBytesLE);
  results.pcm16From48kResampleUs = measure(payloads48k.length, () => {
    for (const payload of payloads48k) pcm48k.decode(payload);
    pcm48k.flush();
  });

  const encoder16k = new Encoder({ channels: 1, sample_rate: 16000, application: "voip" });
  const packets16k = frames16k.map((frame) => encoder16k.encode(frame));
  const opus16k = createAudioDecoder({ codec: "opus", sampleRate: 16000 });
  results.opusDecode16kUs = measure(packets16k.length, () => {
    for (const packet of packets16k) opus16k.decode(packet);
  });

  const encoder48k = new Encoder({ channels: 1, sample_rate: 48000, application: "voip" });
  const packets48k = frames48k.map((frame) => encoder48k.encode(frame));
  const opus48k = createAudioDecoder({ codec: "opus", sampleRate: 48000 });
  results.opusDecode48kPacketTo16kUs = measure(packets48k.length, () => {
    for (const packet of packets48k) opus48k.decode(packet);
  });
  const averageBytes = (packets: Uint8Array[]) => Math.round(packets.reduce((sum, p) => sum + p.length, 0) / packets.length);
  // Not microseconds: packet sizes at the encoder's default bitrate, which drive the decode cost.
  results.opusPacketBytes16k = averageBytes(packets16k);
  results.opusPacketBytes48k = averageBytes(packets48k);

  results.sequencerPushUs = measure(frames16k.length, () => {
    const sequencer = new FrameSequencer<Int16Array>();
    frames16k.forEach((frame, i) => sequencer.push(i, frame));
  });

  const detector = await createWebRtcVoiceDetector(2);
  results.webrtcVadUs = measure(frames16k.length, () => {
    for (const frame of frames16k) detector.isVoiced(frame);
  });
  detector.close();

  // A trailing silence longer than the fixture keeps the endpointer listening to every frame.
  const webrtc = await createEndpointer({ engine: "webrtc", trailingSilenceMs: 60_000 });
  results.webrtcEndpointerUs = measure(frames16k.length, () => {
    webrtc.reset();
    for (const frame of frames16k) webrtc.process(frame);
  });
  webrtc.close();

  const energy = await createEndpointer({ engine: "energy", trailingSilenceMs: 60_000 });
  results.energyEndpointerUs = measure(frames16k.length, () => {
    energy.reset();
    for (const frame of frames16k) energy.process(frame);
  });
  energy.close();

  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = await benchAudioStages();
  console.log("audio-in stages, microseconds per 20 ms frame (one core):");
  for (const [name, value] of Object.entries(results)) console.log(`  ${name.padEnd(30)} ${value}`);
}
