import assert from "node:assert/strict";
import { OpenAiSpeechToText } from "../../../server/speech/stt/openai-speech-to-text.ts";
import { startFakeOpenAiStt, type FakeOpenAiStt } from "../../fakes/fake-openai-stt.ts";
import { startLoopbackServer } from "../../fakes/loopback-server.ts";
import { makeTestWav } from "../../fakes/test-wav.ts";
import { failureOf } from "../../support/provider-failure.ts";

describe("OpenAiSpeechToText", () => {
  let fake: FakeOpenAiStt;
  const wav = makeTestWav({ durationMs: 400 });

  beforeEach(async () => {
    fake = await startFakeOpenAiStt({ transcript: () => "감사함니다" });
  });
  afterEach(() => fake.close());

  it("returns the server's text, named after the provider", async () => {
    const stt = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 2000 });
    assert.deepEqual(await stt.transcribe({ wav, language: "ko" }), { text: "감사함니다", provider: "openai" });
    assert.equal(stt.name, "openai");
  });

  it("uploads the WAV as multipart with model whisper-1, language ko and JSON output", async () => {
    const stt = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 2000 });
    await stt.transcribe({ wav, language: "ko" });
    const request = fake.requests[0]!;
    assert.deepEqual(request.audio, wav);
    assert.equal(request.fileType, "audio/wav");
    assert.match(request.fileName, /\.wav$/);
    assert.equal(request.model, "whisper-1");
    assert.equal(request.language, "ko");
    assert.equal(request.responseFormat, "json");
    assert.equal(request.fields.temperature, "0");
    assert.equal(request.fields.prompt, undefined);
  });

  it("sends the API key as a Bearer token only when one is configured", async () => {
    await fake.close();
    fake = await startFakeOpenAiStt({ apiKey: "sk-test", transcript: () => "네" });
    const keyed = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, apiKey: "sk-test", model: "gpt-4o-transcribe", timeoutMs: 2000 });
    assert.equal((await keyed.transcribe({ wav, language: "ko" })).text, "네");
    assert.equal(fake.requests[0]!.apiKey, "sk-test");
    assert.equal(fake.requests[0]!.model, "gpt-4o-transcribe");

    const keyless = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 2000 });
    const error = await failureOf(keyless.transcribe({ wav, language: "ko" }));
    assert.equal(error.code, "STT_REJECTED");
    assert.match(error.detail, /Incorrect API key provided/);
  });

  it("accepts a base URL that already ends in /v1", async () => {
    const stt = new OpenAiSpeechToText({ baseUrl: `${fake.baseUrl}/v1/`, timeoutMs: 2000 });
    assert.equal((await stt.transcribe({ wav, language: "ko" })).text, "감사함니다");
  });

  it("sends the expected text as Whisper's prompt only when the hint is switched on", async () => {
    const hinted = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 2000, useExpectedTextHint: true });
    await hinted.transcribe({ wav, language: "ko", expectedText: "감사합니다" });
    assert.equal(fake.requests[0]!.fields.prompt, "감사합니다");
    const plain = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 2000 });
    await plain.transcribe({ wav, language: "ko", expectedText: "감사합니다" });
    assert.equal(fake.requests[1]!.fields.prompt, undefined);
  });

  describe("maps server failures to learner-readable KotoErrors", () => {
    const table: { status: number; message?: string; code: string; retryable: boolean }[] = [
      { status: 500, code: "STT_UNAVAILABLE", retryable: true },
      { status: 502, code: "STT_UNAVAILABLE", retryable: true },
      { status: 429, code: "STT_UNAVAILABLE", retryable: true },
      { status: 400, message: "Audio file is too short. Minimum audio length is 0.1 seconds.", code: "STT_REJECTED", retryable: false },
      { status: 413, message: "Maximum content size limit exceeded.", code: "STT_REJECTED", retryable: false },
    ];
    for (const row of table) {
      it(`${row.status} -> ${row.code}`, async () => {
        fake.setBehavior({ failWith: { status: row.status, message: row.message } });
        const stt = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 2000 });
        const error = await failureOf(stt.transcribe({ wav, language: "ko" }));
        assert.equal(error.code, row.code);
        assert.equal(error.retryable, row.retryable);
        assert.equal(error.provider, "openai");
        assert.match(error.detail, /^Speech recognition .+\.$/);
        if (row.message) assert.ok(error.detail.includes(row.message), error.detail);
      });
    }

    it("a whisper.cpp-style error body {\"error\": \"...\"} still shows its message", async () => {
      const whisperCpp = await startLoopbackServer(async (_request, _body, response) => {
        response.writeHead(400, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: "failed to read WAV file" }));
      });
      try {
        const stt = new OpenAiSpeechToText({ baseUrl: whisperCpp.baseUrl, timeoutMs: 2000 });
        const error = await failureOf(stt.transcribe({ wav, language: "ko" }));
        assert.equal(error.code, "STT_REJECTED");
        assert.match(error.detail, /failed to read WAV file/);
      } finally {
        await whisperCpp.close();
      }
    });

    for (const body of ["not json", JSON.stringify({ transcript: "안녕" }), JSON.stringify({ text: 7 })]) {
      it(`a 200 answer ${body} -> STT_BAD_RESPONSE`, async () => {
        fake.setBehavior({ brokenResponseBody: body });
        const stt = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 2000 });
        assert.equal((await failureOf(stt.transcribe({ wav, language: "ko" }))).code, "STT_BAD_RESPONSE");
      });
    }

    it("a slower answer than timeoutMs -> STT_TIMEOUT", async () => {
      fake.setBehavior({ delayMs: 1000 });
      const stt = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 120 });
      const started = performance.now();
      const error = await failureOf(stt.transcribe({ wav, language: "ko" }));
      // Waiting for the answer would have succeeded: STT_TIMEOUT itself shows it did not wait.
      assert.equal(error.code, "STT_TIMEOUT");
      assert.ok(performance.now() - started >= 110);
    });

    it("the caller aborting -> STT_CANCELLED", async () => {
      fake.setBehavior({ hang: true });
      const stt = new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 5000 });
      const error = await failureOf(stt.transcribe({ wav, language: "ko" }, AbortSignal.timeout(50)));
      assert.equal(error.code, "STT_CANCELLED");
      assert.equal(error.retryable, false);
    });

    it("nothing listening -> STT_UNAVAILABLE", async () => {
      const gone = await startLoopbackServer(async () => {});
      await gone.close();
      const stt = new OpenAiSpeechToText({ baseUrl: gone.baseUrl, timeoutMs: 2000 });
      assert.equal((await failureOf(stt.transcribe({ wav, language: "ko" }))).code, "STT_UNAVAILABLE");
    });
  });
});
