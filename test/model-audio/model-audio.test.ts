import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import { Decoder } from "@evan/opus";
import { decodeWav, encodeWav } from "../../server/speech/audio/wav.ts";
import { oggCrc, wavToOggOpus } from "../../server/model-audio/ogg-opus.ts";
import { playableModelAudio } from "../../web-client/src/audio/line-player.ts";
import { EspeakTextToSpeech } from "../../server/model-audio/espeak-text-to-speech.ts";
import { GeminiTextToSpeech } from "../../server/model-audio/gemini-text-to-speech.ts";
import { OpenAiTextToSpeech } from "../../server/model-audio/openai-text-to-speech.ts";
import { ModelAudioLibrary, fileNameFor } from "../../server/model-audio/model-audio-library.ts";
import { FileRecordingStorage } from "../../server/recordings/index.ts";
import { S3RecordingStorage } from "../../server/recordings/s3-recording-storage.ts";
import { loadConfig } from "../../server/config.ts";
import { openModelAudio } from "../../server/model-audio/open-model-audio.ts";
import type { TextToSpeech } from "../../server/model-audio/text-to-speech.ts";
import { startFakeTts, type FakeTts } from "../fakes/fake-tts.ts";
import { baseUrl, getJson, startTestServer } from "../support/koto-test-server.ts";

const speechSeconds = (wav: Uint8Array) => {
  const audio = decodeWav(wav);
  return audio.samples.length / audio.channels / audio.sampleRate;
};

describe("model audio", function () {
  this.timeout(120_000);

  describe("espeak-ng (WebAssembly from npm)", () => {
    it("reads a Korean line aloud as a WAV file", async () => {
      const tts = new EspeakTextToSpeech();
      const { wav } = await tts.synthesize("안녕하세요. 저는 민수예요.");
      const audio = decodeWav(wav);
      assert.equal(audio.sampleRate, 22050);
      assert.ok(speechSeconds(wav) > 1 && speechSeconds(wav) < 6, `${speechSeconds(wav)} s`);
      // Real speech, not silence: a good share of samples are loud.
      const loud = audio.samples.filter((sample) => Math.abs(sample) > 1000).length;
      assert.ok(loud > audio.samples.length / 10, `${loud} loud samples of ${audio.samples.length}`);
    });

    it("reads a longer line for longer", async () => {
      const tts = new EspeakTextToSpeech();
      const short = await tts.synthesize("네.");
      const long = await tts.synthesize("만나서 반가워요. 에밀리 씨는 어느 나라 사람이에요?");
      assert.ok(speechSeconds(long.wav) > 2 * speechSeconds(short.wav));
    });
  });

  describe("Gemini and OpenAI-compatible providers (loopback fakes)", () => {
    let fake: FakeTts;
    beforeEach(async () => {
      fake = await startFakeTts({ apiKey: "sk-test" });
    });
    afterEach(async () => {
      await fake.close();
    });

    it("Gemini: asks for AUDIO with the voice and wraps the 24 kHz PCM in a WAV", async () => {
      const tts = new GeminiTextToSpeech({ apiKey: "key", baseUrl: fake.baseUrl, timeoutMs: 5000, voice: "Kore" });
      const { wav } = await tts.synthesize("감사합니다");
      assert.equal(decodeWav(wav).sampleRate, 24000);
      assert.ok(speechSeconds(wav) > 0.3);
      const request = fake.requests[0]!;
      assert.match(request.path, /\/models\/gemini-2\.5-flash-preview-tts:generateContent$/);
      assert.equal(request.headers["x-goog-api-key"], "key");
      assert.deepEqual(request.body.generationConfig.responseModalities, ["AUDIO"]);
      assert.equal(request.body.generationConfig.speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName, "Kore");
      assert.match(request.body.contents[0].parts[0].text, /감사합니다$/);
    });

    it("Gemini: an outage is a TTS_FAILED error naming the status", async () => {
      fake.failNext(1, 503);
      const tts = new GeminiTextToSpeech({ apiKey: "key", baseUrl: fake.baseUrl, timeoutMs: 5000 });
      await assert.rejects(tts.synthesize("네"), (error: any) => error.code === "TTS_FAILED" && /503/.test(error.message));
    });

    it("OpenAI: POSTs /v1/audio/speech for a WAV with the key, model and voice", async () => {
      const tts = new OpenAiTextToSpeech({ baseUrl: `${fake.baseUrl}/v1`, apiKey: "sk-test", model: "tts-1", voice: "nova", timeoutMs: 5000 });
      const { wav } = await tts.synthesize("감사합니다");
      assert.ok(speechSeconds(wav) > 0.3);
      assert.deepEqual(fake.requests[0]!.body, { model: "tts-1", input: "감사합니다", voice: "nova", response_format: "wav" });
      assert.equal(fake.requests[0]!.headers.authorization, "Bearer sk-test");
    });

    it("OpenAI: a refused key is a TTS_FAILED error with the server's sentence", async () => {
      const tts = new OpenAiTextToSpeech({ baseUrl: fake.baseUrl, apiKey: "wrong", timeoutMs: 5000 });
      await assert.rejects(tts.synthesize("네"), (error: any) => error.code === "TTS_FAILED" && /401: Incorrect API key/.test(error.message));
    });
  });

  describe("the library", () => {
    const counting = (name = "fake"): TextToSpeech & { calls: string[] } => {
      const calls: string[] = [];
      return {
        name, voice: "v1", calls,
        async synthesize(text) {
          calls.push(text);
          if (text.includes("실패")) throw new Error("provider refused");
          // A short tone whose pitch depends on the text: a real WAV, different per line.
          const samples = Int16Array.from({ length: 2400 }, (_, index) => Math.round(8000 * Math.sin((index * (text.length + 2)) / 10)));
          return { wav: encodeWav(samples, 24000) };
        },
      };
    };

    it("stores each distinct line once, keeps what exists, and survives a failed line", async () => {
      const directory = mkdtempSync(join(tmpdir(), "koto-model-audio-"));
      try {
        const tts = counting();
        const library = new ModelAudioLibrary(new FileRecordingStorage(directory));
        const first = await library.synthesize(["네.", "아니요.", "네.", "실패해요."], tts);
        assert.deepEqual([first.synthesized, first.reused, first.failed.length], [2, 0, 1]);
        const reopened = await new ModelAudioLibrary(new FileRecordingStorage(directory)).load();
        // Clients get the Ogg Opus file; the WAV is beside it under the same name.
        assert.equal(reopened.urlFor("네."), `api/model-audio/${fileNameFor(tts, "네.").replace(".wav", ".opus")}`);
        assert.equal((await reopened.file(fileNameFor(tts, "네.")))?.contentType, "audio/wav");
        assert.equal((await reopened.file(fileNameFor(tts, "네.").replace(".wav", ".opus")))?.contentType, "audio/ogg");
        assert.equal(reopened.urlFor("실패해요."), null);
        const again = await reopened.synthesize(["네.", "아니요."], tts);
        assert.deepEqual([again.synthesized, again.reused], [0, 2]);
        const forced = await reopened.synthesize(["네."], tts, { force: true });
        assert.equal(forced.synthesized, 1);
        // Another provider means other files: old audio never passes for the new voice.
        assert.notEqual(fileNameFor(counting("other"), "네."), fileNameFor(tts, "네."));
        assert.equal(await reopened.file("../../etc/passwd"), null);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it("keeps the audio in the koto-content bucket on S3 (s3rver)", async () => {
      const directory = mkdtempSync(join(tmpdir(), "koto-s3rver-"));
      const s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
      const { port } = await s3.run();
      try {
        const config = loadConfig({
          S3_ENDPOINT: "127.0.0.1", S3_PORT: String(port), S3_ACCESS_KEY: "S3RVER", S3_SECRET_KEY: "S3RVER",
        });
        assert.equal(config.modelAudio.storage.kind === "s3" && config.modelAudio.storage.bucket, "koto-content");
        const library = await openModelAudio(config.modelAudio, { prepare: true });
        await library.synthesize(["감사합니다."], counting());
        const storage = new S3RecordingStorage({ endPoint: "127.0.0.1", port, useSSL: false, accessKey: "S3RVER", secretKey: "S3RVER", bucket: "koto-content" });
        const manifest = await storage.get("model-audio/manifest.json");
        assert.ok(manifest && JSON.parse(new TextDecoder().decode(manifest.bytes)).lines["감사합니다."]);
        const reopened = await openModelAudio(config.modelAudio);
        const file = await reopened.file(reopened.urlFor("감사합니다.")!.split("/").pop()!);
        assert.equal(new TextDecoder().decode(file!.bytes.subarray(0, 4)), "OggS");
      } finally {
        s3.httpServer?.closeAllConnections();
        await s3.close();
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });

  describe("Ogg Opus (what clients play)", () => {
    /** The pages of an Ogg file, each checked against its CRC, and the packets they carry. */
    const readOgg = (bytes: Uint8Array) => {
      const pages: { flags: number; granule: bigint; sequence: number; packets: Uint8Array[] }[] = [];
      let offset = 0;
      let pending: Uint8Array[] = [];
      while (offset < bytes.length) {
        const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
        assert.equal(new TextDecoder().decode(bytes.subarray(offset, offset + 4)), "OggS");
        const segments = bytes[offset + 26]!;
        const lacing = [...bytes.subarray(offset + 27, offset + 27 + segments)];
        const length = 27 + segments + lacing.reduce((sum, value) => sum + value, 0);
        const page = Uint8Array.from(bytes.subarray(offset, offset + length));
        page.fill(0, 22, 26);
        assert.equal(oggCrc(page), view.getUint32(22, true), `CRC of page ${pages.length}`);
        const packets: Uint8Array[] = [];
        let at = offset + 27 + segments;
        for (const value of lacing) {
          pending.push(bytes.subarray(at, at + value));
          at += value;
          if (value < 255) {
            packets.push(Buffer.concat(pending));
            pending = [];
          }
        }
        pages.push({ flags: bytes[offset + 5]!, granule: view.getBigInt64(6, true), sequence: view.getUint32(18, true), packets });
        offset += length;
      }
      return pages;
    };

    it("encodes a line as a valid Ogg Opus stream that decodes to the same length, at a fifteenth of the bytes", async () => {
      const { wav } = await new EspeakTextToSpeech().synthesize("안녕하세요. 저는 에밀리예요.");
      const source = decodeWav(wav);
      assert.equal(source.sampleRate, 22050, "eSpeak's rate, which Opus does not take: resampled");
      const { bytes, durationMs } = wavToOggOpus(wav);
      const pages = readOgg(bytes);
      assert.deepEqual(pages.map((page) => page.sequence), pages.map((_, index) => index));
      const [head, tags, ...audio] = pages;
      assert.equal(head!.flags, 0x02, "the first page begins the stream");
      const opusHead = head!.packets[0]!;
      assert.equal(new TextDecoder().decode(opusHead.subarray(0, 8)), "OpusHead");
      const headView = new DataView(opusHead.buffer, opusHead.byteOffset);
      assert.deepEqual([opusHead[8], opusHead[9], headView.getUint32(12, true), opusHead[18]], [1, 1, 22050, 0]);
      const preSkip = headView.getUint16(10, true);
      assert.ok(preSkip > 0 && preSkip < 960, `pre-skip ${preSkip}`);
      assert.equal(new TextDecoder().decode(tags!.packets[0]!.subarray(0, 8)), "OpusTags");
      assert.equal(audio.at(-1)!.flags, 0x04, "the last page ends the stream");
      for (let index = 1; index < audio.length; index++) assert.ok(audio[index]!.granule >= audio[index - 1]!.granule);

      // Decoded by libopus, the stream is as long as the speech (the last granule trims the padding).
      const decoder = new Decoder({ channels: 1, sample_rate: 48000 });
      let decoded = 0;
      for (const page of audio) for (const packet of page.packets) decoded += decoder.decode(packet).byteLength / 2;
      const seconds = Number(audio.at(-1)!.granule - BigInt(preSkip)) / 48000;
      const sourceSeconds = source.samples.length / source.sampleRate;
      assert.ok(Math.abs(seconds - sourceSeconds) < 0.005, `${seconds} s vs ${sourceSeconds} s`);
      assert.ok(decoded >= Number(audio.at(-1)!.granule), "every sample the last granule names was decoded");
      assert.equal(durationMs, Math.round(sourceSeconds * 1000));
      assert.ok(bytes.byteLength * 10 < wav.byteLength, `${bytes.byteLength} B Opus vs ${wav.byteLength} B WAV`);
      // The same WAV always makes the same file (and so the same ETag).
      assert.deepEqual(wavToOggOpus(wav).bytes, bytes);
    });

    it("adds Opus to a library made before it, from the stored WAV, without asking the provider again", async () => {
      const directory = mkdtempSync(join(tmpdir(), "koto-model-audio-old-"));
      try {
        const storage = new FileRecordingStorage(directory);
        const tts: TextToSpeech & { calls: number } = {
          name: "fake", voice: "v1", calls: 0,
          async synthesize() {
            this.calls++;
            return { wav: encodeWav(Int16Array.from({ length: 4800 }, (_, index) => Math.round(6000 * Math.sin(index / 7))), 24000) };
          },
        };
        // What an earlier `koto synthesize-audio` left: a WAV and a manifest entry without "opus".
        const file = fileNameFor(tts, "네.");
        const { wav } = await tts.synthesize("네.");
        await storage.put(`model-audio/${file}`, wav, "audio/wav");
        await storage.put("model-audio/manifest.json", new TextEncoder().encode(JSON.stringify({
          version: 1, lines: { "네.": { file, etag: "\"old\"", bytes: wav.byteLength, provider: "fake", voice: "v1" } },
        })), "application/json");
        tts.calls = 0;
        const old = await new ModelAudioLibrary(storage).load();
        assert.equal(old.urlFor("네."), `api/model-audio/${file}`, "an old library still serves its WAV");
        const report = await old.synthesize(["네."], tts);
        assert.deepEqual([report.synthesized, report.reused, tts.calls], [1, 0, 0]);
        assert.equal(old.urlFor("네."), `api/model-audio/${file.replace(".wav", ".opus")}`);
        const again = await new ModelAudioLibrary(storage).load().then((library) => library.synthesize(["네."], tts));
        assert.deepEqual([again.synthesized, again.reused], [0, 1]);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it("lets a browser without Ogg Opus fetch the WAV beside it", () => {
      const url = "api/model-audio/0123456789abcdef0123456789abcdef.opus";
      assert.equal(playableModelAudio(url, () => "probably"), url);
      assert.equal(playableModelAudio(url, () => ""), "api/model-audio/0123456789abcdef0123456789abcdef.wav");
      assert.equal(playableModelAudio("https://cdn.example/line.wav", () => ""), "https://cdn.example/line.wav");
    });
  });

  describe("served to clients", () => {
    it("fills audioUrl for every step and serves each file with ETag and Cache-Control", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "koto-server-"));
      const config = loadConfig({ DATA_DIR: dataDir });
      const tts = new EspeakTextToSpeech();
      const { loadContent, spokenLines } = await import("../../server/content/load-content.ts");
      const lesson = loadContent(config.contentDir).getLesson("ko-en-01-greetings")!;
      const library = await openModelAudio(config.modelAudio);
      const report = await library.synthesize(spokenLines(lesson), tts);
      assert.equal(report.failed.length, 0);
      const server = await startTestServer({ dataDir });
      try {
        const { body } = await getJson(server, "/api/lessons/ko-en-01-greetings");
        assert.ok(body.steps.every((step: any) => /^api\/model-audio\/[0-9a-f]{32}\.opus$/.test(step.audioUrl)), JSON.stringify(body.steps.map((s: any) => s.audioUrl)));
        const url = `${baseUrl(server)}/${body.steps[1].audioUrl}`;
        const response = await fetch(url);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), "audio/ogg");
        assert.match(response.headers.get("cache-control") ?? "", /max-age=\d+/);
        const etag = response.headers.get("etag")!;
        assert.match(etag, /^".+"$/);
        const opus = new Uint8Array(await response.arrayBuffer());
        // The fallback: the same line as WAV, about fifteen times the bytes.
        const wavResponse = await fetch(url.replace(/\.opus$/, ".wav"));
        assert.equal(wavResponse.headers.get("content-type"), "audio/wav");
        const wav = new Uint8Array(await wavResponse.arrayBuffer());
        assert.ok(speechSeconds(wav) > 1);
        assert.ok(opus.byteLength * 8 < wav.byteLength, `Opus ${opus.byteLength} B vs WAV ${wav.byteLength} B`);
        assert.notEqual(wavResponse.headers.get("etag"), etag);
        const again = await fetch(url, { headers: { "if-none-match": etag } });
        assert.equal(again.status, 304);
        // Players (Safari's above all) ask for parts: the first two bytes, then the rest.
        assert.equal(response.headers.get("accept-ranges"), "bytes");
        const firstTwo = await fetch(url, { headers: { range: "bytes=0-1" } });
        assert.equal(firstTwo.status, 206);
        assert.equal(firstTwo.headers.get("content-range"), `bytes 0-1/${opus.byteLength}`);
        assert.equal(firstTwo.headers.get("etag"), etag);
        assert.deepEqual(new Uint8Array(await firstTwo.arrayBuffer()), opus.subarray(0, 2));
        const rest = await fetch(url, { headers: { range: "bytes=2-", "if-range": etag } });
        assert.equal(rest.status, 206);
        assert.deepEqual(new Uint8Array(await rest.arrayBuffer()), opus.subarray(2));
        const past = await fetch(url, { headers: { range: `bytes=${opus.byteLength}-` } });
        assert.equal(past.status, 416);
        assert.equal(((await past.json()) as { error: { code: string } }).error.code, "RANGE_NOT_SATISFIABLE");
        const missing = await getJson(server, "/api/model-audio/00000000000000000000000000000000.wav");
        assert.equal(missing.status, 404);
        assert.equal(missing.body.error.code, "MODEL_AUDIO_NOT_FOUND");
        // Lessons not synthesized keep no URL rather than a broken one.
        const other = await getJson(server, "/api/lessons/ko-en-02-cafe");
        assert.ok(other.body.steps.every((step: any) => step.audioUrl === null));
      } finally {
        await server.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
