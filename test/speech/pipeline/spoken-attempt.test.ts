/**
 * The spoken-attempt pipeline without sockets: wire frames in, events out (Pipecat's
 * run_test(frames_to_send, expected_events) shape). Real decoders, real WebRTC VAD, a real spool file.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Encoder } from "@evan/opus";
import { encodeAudioFrame, int16ToBytesLE, loadWebRtcVad, type UtteranceTiming } from "../../../server/speech/audio/index.ts";
import { AudioSpool, readSpool } from "../../../server/recordings/audio-spool.ts";
import { SpokenAttempt, type SpokenAttemptEvent, type UtteranceFormat } from "../../../server/speech/pipeline/spoken-attempt.ts";
import type { Evaluation, UtteranceToEvaluate } from "../../../server/speech/pipeline/evaluate-utterance.ts";
import { chunks, concat, loadFixture, rms, sine, toneAmplitude } from "../audio/signals.ts";

const OPTIONS = { maxFrameBytes: 16384, maxUtteranceMs: 30_000, trailingSilenceMs: 600, vadEngine: "webrtc" as const };

interface Run {
  events: SpokenAttemptEvent[];
  kept: Int16Array | null;
  evaluated: UtteranceToEvaluate | null;
  spoolPath: string;
  pipeline: SpokenAttempt;
}

/** Pushes `frames` in the given order, ends the utterance (unless a frame did) and collects every event. */
async function runPipeline(format: UtteranceFormat, frames: Uint8Array[], stages: { keepFails?: boolean; keepSpool?: boolean; evaluate?: (input: UtteranceToEvaluate) => Promise<Evaluation> } = {}): Promise<Run> {
  await loadWebRtcVad();
  const directory = mkdtempSync(join(tmpdir(), "koto-spool-"));
  const events: SpokenAttemptEvent[] = [];
  const run: Run = { events, kept: null, evaluated: null, spoolPath: join(directory, "a1.pcm"), pipeline: null as never };
  const spool = AudioSpool.open(directory, "a1");
  run.pipeline = await SpokenAttempt.open(format, OPTIONS, {
    spool,
    keep: async (samples, _durationMs, kept) => {
      if (stages.keepFails) throw new Error("disk full");
      run.kept = samples.slice(); // lent until this promise settles (the buffer is reused afterwards)
      // As file storage does: the closed spool is the recording, left where it is.
      if (stages.keepSpool) return kept.close().then(() => true);
    },
    evaluate: stages.evaluate ?? (async (input) => {
      run.evaluated = { ...input, samples: input.samples.slice() };
      return { status: "awaiting-tutor", code: "STT_DISABLED", reason: "off", transcript: "", timings: { trimMs: 0, speechToTextMs: 0, scoringMs: 0, feedbackMs: 0 } };
    }),
  }, { accepted: ["안녕하세요"], learnerLanguage: "en" }, (event) => events.push(event));
  let ended = null;
  for (const frame of frames) {
    ended = run.pipeline.push(frame);
    if (ended) break;
  }
  await run.pipeline.end(ended ?? "released");
  return run;
}

function pcmFrames(samples: Int16Array, frameSamples: number): Uint8Array[] {
  return chunks(samples.subarray(0, samples.length - (samples.length % frameSamples)), frameSamples)
    .map((chunk, sequence) => encodeAudioFrame(sequence, int16ToBytesLE(chunk)));
}

function opusFrames(samples: Int16Array, sampleRate: 16000 | 48000): Uint8Array[] {
  const encoder = new Encoder({ channels: 1, sample_rate: sampleRate, application: "voip" });
  const frameSamples = sampleRate / 50;
  return chunks(samples.subarray(0, samples.length - (samples.length % frameSamples)), frameSamples)
    .map((chunk, sequence) => encodeAudioFrame(sequence, encoder.encode(chunk)));
}

/** Delivery order with the usual network faults: a swapped pair, a duplicate, and lost frames. */
function jumbled<T>(frames: T[], lost: number[]): T[] {
  const order = frames.map((_, i) => i).filter((i) => !lost.includes(i));
  [order[10], order[11]] = [order[11], order[10]];
  order.splice(20, 0, order[19]);
  return order.map((i) => frames[i]);
}

const types = (events: SpokenAttemptEvent[]) => events.map((event) => event.type === "speaking" ? `speaking:${event.speaking}` : event.type);

describe("SpokenAttempt pipeline", function () {
  this.timeout(20000);

  it("turns 16 kHz PCM speech into speaking → ended(silence) → stored → evaluated, with the whole timeline kept", async () => {
    const speech = loadFixture("annyeonghaseyo");
    const run = await runPipeline({ codec: "pcm16", sampleRate: 16000 }, pcmFrames(speech.samples, 320));
    assert.deepEqual(types(run.events), ["speaking:true", "speaking:false", "ended", "stored", "evaluated"]);
    const ended = run.events.find((event) => event.type === "ended")!;
    assert.equal(ended.type === "ended" && ended.reason, "silence");
    assert.ok(run.kept && run.kept.length > 16000 * 0.5);
    assert.equal(run.evaluated?.accepted[0], "안녕하세요");
    assert.ok((run.evaluated!.timing as UtteranceTiming).speechMs > 300);
    // The spool was removed once the recording was kept.
    assert.equal(existsSync(run.spoolPath), false);
  });

  for (const { name, format, frames } of [
    { name: "Opus at 48 kHz", format: { codec: "opus" as const, sampleRate: 48000 }, frames: () => opusFrames(sine(48000, 440, 48000), 48000) },
    { name: "Opus at 16 kHz", format: { codec: "opus" as const, sampleRate: 16000 }, frames: () => opusFrames(sine(16000, 440, 16000), 16000) },
    { name: "PCM at 16 kHz", format: { codec: "pcm16" as const, sampleRate: 16000 }, frames: () => pcmFrames(sine(16000, 440, 16000), 320) },
  ]) {
    it(`puts reordered, duplicated and lost ${name} frames back in order before decoding, concealing the losses`, async () => {
      const all = frames();
      const clean = await runPipeline(format, all);
      const faulty = await runPipeline(format, jumbled(all, [30, 31]));
      const stats = (run: Run) => { const e = run.events.find((event) => event.type === "ended"); return e?.type === "ended" ? e.frames : null; };
      assert.deepEqual({ ...stats(faulty), received: 0 }, { received: 0, duplicates: 1, reordered: 1, lost: 2, late: 0 });
      // Same length: lost frames are stood in for, so the endpointer's clock stays true.
      assert.equal(faulty.kept!.length, clean.kept!.length);
      // The tone survives: decoding in order keeps the decoder's state right (out of order, the stateful
      // Opus decoder or resampler would smear it), and concealment fills the gap rather than silence.
      const level = toneAmplitude(faulty.kept!.subarray(3200), 16000, 440) / toneAmplitude(clean.kept!.subarray(3200), 16000, 440);
      assert.ok(level > 0.8, `tone level ${level.toFixed(3)} of the clean run`);
      const gap = faulty.kept!.subarray(30 * 320, 32 * 320);
      if (format.codec === "opus") assert.ok(rms(gap) > 1000, `Opus concealment fills the gap (rms ${rms(gap).toFixed(0)})`);
      else assert.equal(rms(gap), 0);
    });
  }

  it("keeps the audio right when the transport reuses its buffer after each frame, in order or not", async () => {
    const all = pcmFrames(sine(16000, 440, 16000), 320);
    const order = jumbled(all, [30]);
    const clean = await runPipeline({ codec: "pcm16", sampleRate: 16000 }, order);
    // Every frame arrives in the same Node Buffer (whose slice is a view), scribbled over as soon as push
    // returns, as a transport reusing its buffer does.
    const shared = Buffer.alloc(1024);
    const reused = order.map((frame) => ({ frame, view: shared.subarray(8, 8 + frame.byteLength) }));
    await loadWebRtcVad();
    const directory = mkdtempSync(join(tmpdir(), "koto-spool-"));
    let kept: Int16Array | null = null;
    const pipeline = await SpokenAttempt.open({ codec: "pcm16", sampleRate: 16000 }, OPTIONS, {
      spool: AudioSpool.open(directory, "a3"), keep: async (samples) => { kept = samples.slice(); },
      evaluate: async () => ({ status: "awaiting-tutor", code: "STT_DISABLED", reason: "off", transcript: "", timings: { trimMs: 0, speechToTextMs: 0, scoringMs: 0, feedbackMs: 0 } }),
    }, { accepted: ["네"], learnerLanguage: "en" }, () => {});
    for (const { frame, view } of reused) {
      view.set(frame);
      pipeline.push(view);
      shared.fill(0x7f);
    }
    await pipeline.end("released");
    assert.ok(kept !== null);
    assert.deepEqual(kept, clean.kept, "the recording is the one made from untouched frames");
  });

  it("spools audio to disk as it arrives, so a crash before the end keeps what was received", async () => {
    await loadWebRtcVad();
    const directory = mkdtempSync(join(tmpdir(), "koto-spool-"));
    const pipeline = await SpokenAttempt.open({ codec: "pcm16", sampleRate: 16000 }, OPTIONS, {
      spool: AudioSpool.open(directory, "a2"), keep: async () => {}, evaluate: async () => { throw new Error("not reached"); },
    }, { accepted: ["네"], learnerLanguage: "en" }, () => {});
    for (const frame of pcmFrames(sine(16000, 300, 16000), 320)) pipeline.push(frame);
    // No end(): as after kill -9. The stream writes in batches of 1 s.
    let spooled: Int16Array | null = null;
    for (let i = 0; i < 100 && (spooled?.length ?? 0) < 14000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      spooled = await readSpool(directory, "a2");
    }
    assert.ok(spooled && spooled.length >= 14000, `spooled ${spooled?.length} samples`);
    await pipeline.end("disconnected");
  });

  it("records each utterance into a reused buffer without the previous one's samples showing through", async () => {
    // A long utterance takes seven recording chunks and a 10 s buffer to be evaluated from, and gives them
    // back; the next, shorter one reuses them.
    const long = await runPipeline({ codec: "pcm16", sampleRate: 16000 }, pcmFrames(sine(16000, 440, 16000 * 7), 320));
    assert.equal(long.kept!.length, 16000 * 7);
    const speech = loadFixture("annyeonghaseyo").samples;
    const short = await runPipeline({ codec: "pcm16", sampleRate: 16000 }, pcmFrames(speech, 320));
    const expected = speech.subarray(0, short.kept!.length);
    assert.ok(short.kept!.length <= speech.length);
    assert.deepEqual(short.kept, expected);
    assert.deepEqual(short.evaluated!.samples, expected);
  });

  it("records frames that do not divide its one-second chunks (30 ms PCM, 48 kHz Opus) exactly, in the spool too", async () => {
    // 480-sample frames straddle every chunk boundary (16,000 is not a multiple of 480).
    const audio = sine(16000, 440, 16000 * 3 + 480 * 7);
    const pcm = await runPipeline({ codec: "pcm16", sampleRate: 16000 }, pcmFrames(audio, 480), { keepSpool: true });
    assert.equal(pcm.kept!.length, audio.length);
    assert.deepEqual(pcm.kept, audio);
    assert.deepEqual(pcm.evaluated!.samples, audio);
    assert.deepEqual(await readSpool(join(pcm.spoolPath, ".."), "a1"), audio);
    // Opus at 48 kHz decodes to 320 samples a frame through the resampler (the record-by-copy path).
    const opus = await runPipeline({ codec: "opus", sampleRate: 48000 }, opusFrames(sine(48000, 440, 48000 * 2), 48000));
    assert.equal(opus.kept!.length, 16000 * 2);
  });

  it("spools exactly what it was given, whatever the caller does with its buffer after each append", async () => {
    const directory = mkdtempSync(join(tmpdir(), "koto-spool-"));
    const spool = AudioSpool.open(directory, "s1");
    const audio = sine(16000, 440, 56000);
    const scratch = new Int16Array(16000 * 2);
    // Before the file is open, a whole second; then less than a batch; then two seconds at once; then the rest.
    for (const [from, to] of [[0, 16000], [16000, 20000], [20000, 52000], [52000, audio.length]]) {
      scratch.set(audio.subarray(from, to));
      spool.append(scratch.subarray(0, to - from));
      scratch.fill(1234);
      if (from === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await spool.close();
    assert.deepEqual(await readSpool(directory, "s1"), audio);
  });

  it("reports silence as ended(no-speech) then failed NO_SPEECH, with the audio still kept", async () => {
    const run = await runPipeline({ codec: "pcm16", sampleRate: 16000 }, pcmFrames(new Int16Array(16000 * 8), 320));
    assert.deepEqual(types(run.events), ["ended", "stored", "failed"]);
    const failed = run.events.at(-1)!;
    assert.equal(failed.type === "failed" && failed.code, "NO_SPEECH");
  });

  it("announces no result when the audio could not be kept, and keeps the spool for recovery", async () => {
    const speech = loadFixture("annyeonghaseyo");
    const run = await runPipeline({ codec: "pcm16", sampleRate: 16000 }, pcmFrames(speech.samples, 320), { keepFails: true });
    assert.deepEqual(types(run.events).slice(-2), ["ended", "failed"]);
    const failed = run.events.at(-1)!;
    assert.equal(failed.type === "failed" && failed.code, "RECORDING_STORAGE_UNAVAILABLE");
    assert.equal(existsSync(run.spoolPath), true);
  });

  it("stops at the length limit inside a concealed gap: a long first frame and the largest gap make 30 s, not minutes", async () => {
    // One second of 8 kHz PCM in frame 0, then frame 250: 249 lost frames, each concealed as long as the last.
    const second = Int16Array.from({ length: 8000 }, (_, i) => Math.round(3000 * Math.sin(i / 3)));
    const run = await runPipeline({ codec: "pcm16", sampleRate: 8000 }, [encodeAudioFrame(0, int16ToBytesLE(second)), encodeAudioFrame(250, int16ToBytesLE(second))]);
    const ended = run.events.find((event) => event.type === "ended") as Extract<SpokenAttemptEvent, { type: "ended" }>;
    assert.equal(ended.reason, "max-duration");
    assert.ok(ended.durationMs <= OPTIONS.maxUtteranceMs + 1000, `recorded ${ended.durationMs} ms`);
    assert.ok(run.kept!.length <= ((OPTIONS.maxUtteranceMs + 1000) / 1000) * 16000);
  });

  it("refuses a malformed frame without ending the utterance", async () => {
    await loadWebRtcVad();
    const directory = mkdtempSync(join(tmpdir(), "koto-spool-"));
    const events: SpokenAttemptEvent[] = [];
    const pipeline = await SpokenAttempt.open({ codec: "pcm16", sampleRate: 16000 }, OPTIONS, {
      spool: AudioSpool.open(directory, "a3"), keep: async () => {}, evaluate: async () => { throw new Error("boom"); },
    }, { accepted: ["네"], learnerLanguage: "en" }, (event) => events.push(event));
    assert.throws(() => pipeline.push(new Uint8Array([1, 2])), /AUDIO_FRAME_TOO_SHORT/);
    assert.throws(() => pipeline.push(encodeAudioFrame(0, new Uint8Array(641))), /AUDIO_FRAME_ODD_LENGTH/);
    for (const frame of pcmFrames(concat([loadFixture("annyeonghaseyo").samples]), 320)) pipeline.push(frame);
    await pipeline.end("released");
    // An evaluation that throws becomes a failure that can be retried, never a lost attempt.
    assert.deepEqual(types(events).slice(-3), ["ended", "stored", "failed"]);
    const failed = events.at(-1)!;
    assert.equal(failed.type === "failed" && failed.code, "EVALUATION_FAILED");
  });
});
