import assert from "node:assert/strict";
import { KotoError } from "../../../server/errors.ts";
import { GeminiSpeechToText } from "../../../server/speech/stt/gemini-speech-to-text.ts";
import { startFakeGemini, type FakeGemini } from "../../fakes/fake-gemini.ts";
import { startLoopbackServer } from "../../fakes/loopback-server.ts";
import { makeTestWav } from "../../fakes/test-wav.ts";
import { failureOf } from "../../support/provider-failure.ts";

const API_KEY = "test-key-123";

describe("GeminiSpeechToText", () => {
  let fake: FakeGemini;
  let stt: GeminiSpeechToText;
  const wav = makeTestWav({ durationMs: 700 });

  beforeEach(async () => {
    fake = await startFakeGemini({ apiKey: API_KEY, transcript: () => "저는 학생입니다" });
    stt = new GeminiSpeechToText({ apiKey: API_KEY, baseUrl: fake.baseUrl, timeoutMs: 2000 });
  });
  afterEach(() => fake.close());

  it("returns what the model heard, named after the provider", async () => {
    const transcript = await stt.transcribe({ wav, language: "ko" });
    assert.deepEqual(transcript, { text: "저는 학생입니다", provider: "gemini" });
    assert.equal(stt.name, "gemini");
  });

  it("sends the WAV as base64 inlineData audio/wav to gemini-2.5-flash with the API key header", async () => {
    await stt.transcribe({ wav, language: "ko" });
    assert.equal(fake.requests.length, 1);
    const request = fake.requests[0]!;
    assert.equal(request.model, "gemini-2.5-flash");
    assert.equal(request.headers["x-goog-api-key"], API_KEY);
    assert.equal(request.audioMimeType, "audio/wav");
    assert.deepEqual(request.audio, wav);
  });

  it("asks for JSON {transcript} with a schema, no thinking and temperature 0", async () => {
    await stt.transcribe({ wav, language: "ko" });
    const config = fake.requests[0]!.generationConfig;
    assert.equal(config.responseMimeType, "application/json");
    assert.deepEqual(config.responseJsonSchema, {
      type: "object",
      properties: { transcript: { type: "string", description: "Verbatim Korean transcript in Hangul" } },
      required: ["transcript"],
    });
    assert.deepEqual(config.thinkingConfig, { thinkingBudget: 0 });
    assert.equal(config.temperature, 0);
  });

  it("tells the model to keep the learner's mistakes", async () => {
    await stt.transcribe({ wav, language: "ko" });
    const instruction = fake.requests[0]!.systemInstruction;
    assert.match(instruction, /Do not correct pronunciation, grammar or spelling mistakes/);
    assert.match(instruction, /write the syllable that was actually heard/);
  });

  it("keeps the expected text out of the request unless the hint is switched on", async () => {
    await stt.transcribe({ wav, language: "ko", expectedText: "감사합니다" });
    assert.doesNotMatch(fake.requests[0]!.promptText, /감사합니다/);

    const hinted = new GeminiSpeechToText({ apiKey: API_KEY, baseUrl: fake.baseUrl, timeoutMs: 2000, useExpectedTextHint: true });
    await hinted.transcribe({ wav, language: "ko", expectedText: "감사합니다" });
    assert.match(fake.requests[1]!.promptText, /감사합니다/);
  });

  it("uses the configured model", async () => {
    await fake.close();
    fake = await startFakeGemini({ apiKey: API_KEY, models: ["gemini-2.5-flash-lite"], transcript: () => "네" });
    const lite = new GeminiSpeechToText({ apiKey: API_KEY, baseUrl: fake.baseUrl, timeoutMs: 2000, model: "gemini-2.5-flash-lite" });
    assert.equal((await lite.transcribe({ wav, language: "ko" })).text, "네");
    assert.equal(fake.requests[0]!.model, "gemini-2.5-flash-lite");
  });

  it("strips control characters and extra spaces from the transcript", async () => {
    fake.setBehavior({ transcript: () => "  저는\n\u0007 학생\u200B입니다  " });
    assert.equal((await stt.transcribe({ wav, language: "ko" })).text, "저는 학생입니다");
  });

  describe("maps provider failures to learner-readable KotoErrors", () => {
    const table: { name: string; status: number; message?: string; code: string; retryable: boolean; mentions?: RegExp }[] = [
      { name: "500 internal error", status: 500, code: "STT_UNAVAILABLE", retryable: true },
      { name: "503 overloaded", status: 503, code: "STT_UNAVAILABLE", retryable: true },
      { name: "429 quota", status: 429, code: "STT_UNAVAILABLE", retryable: true },
      { name: "400 bad request", status: 400, message: "Audio is too long.", code: "STT_REJECTED", retryable: false, mentions: /Audio is too long\./ },
      { name: "403 forbidden", status: 403, message: "Permission denied.", code: "STT_REJECTED", retryable: false, mentions: /Permission denied\./ },
    ];
    for (const row of table) {
      it(`${row.name} -> ${row.code} (${row.retryable ? "retryable" : "final"})`, async () => {
        fake.setBehavior({ failWith: { status: row.status, message: row.message } });
        const error = await failureOf(stt.transcribe({ wav, language: "ko" }));
        assert.ok(error instanceof KotoError);
        assert.equal(error.code, row.code);
        assert.equal(error.retryable, row.retryable);
        assert.equal(error.provider, "gemini");
        assert.match(error.detail, /^Speech recognition .+\.$/);
        assert.doesNotMatch(error.detail, /[{}]/);
        if (row.mentions) assert.match(error.detail, row.mentions);
      });
    }

    it("a wrong API key -> STT_REJECTED quoting Google's message", async () => {
      const wrongKey = new GeminiSpeechToText({ apiKey: "wrong", baseUrl: fake.baseUrl, timeoutMs: 2000 });
      const error = await failureOf(wrongKey.transcribe({ wav, language: "ko" }));
      assert.equal(error.code, "STT_REJECTED");
      assert.match(error.detail, /API key not valid/);
    });

    it("an unknown model -> STT_REJECTED", async () => {
      const unknown = new GeminiSpeechToText({ apiKey: API_KEY, baseUrl: fake.baseUrl, timeoutMs: 2000, model: "gemini-0-nonexistent" });
      const error = await failureOf(unknown.transcribe({ wav, language: "ko" }));
      assert.equal(error.code, "STT_REJECTED");
      assert.match(error.detail, /not found/);
    });

    const badAnswers: { name: string; answer: string }[] = [
      { name: "text that is not JSON", answer: "저는 학생입니다" },
      { name: "JSON without a transcript", answer: JSON.stringify({ text: "저는" }) },
      { name: "a transcript that is not a string", answer: JSON.stringify({ transcript: 42 }) },
    ];
    for (const row of badAnswers) {
      it(`${row.name} -> STT_BAD_RESPONSE`, async () => {
        fake.setBehavior({ answer: () => row.answer });
        const error = await failureOf(stt.transcribe({ wav, language: "ko" }));
        assert.equal(error.code, "STT_BAD_RESPONSE");
        assert.equal(error.retryable, true);
      });
    }

    it("a 200 whose body is not JSON -> STT_BAD_RESPONSE", async () => {
      fake.setBehavior({ brokenResponseBody: "<html>proxy error</html>" });
      const error = await failureOf(stt.transcribe({ wav, language: "ko" }));
      assert.equal(error.code, "STT_BAD_RESPONSE");
    });

    it("no answer within timeoutMs -> STT_TIMEOUT", async () => {
      const quick = new GeminiSpeechToText({ apiKey: API_KEY, baseUrl: fake.baseUrl, timeoutMs: 150 });
      fake.setBehavior({ hang: true });
      const started = performance.now();
      const error = await failureOf(quick.transcribe({ wav, language: "ko" }));
      const elapsed = performance.now() - started;
      assert.equal(error.code, "STT_TIMEOUT");
      assert.equal(error.retryable, true);
      // The fake never answers, so returning at all is giving up; timers never fire early.
      assert.ok(elapsed >= 140, `gave up after ${elapsed} ms`);
    });

    it("the caller aborting -> STT_CANCELLED, not retryable", async () => {
      fake.setBehavior({ delayMs: 2000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const error = await failureOf(stt.transcribe({ wav, language: "ko" }, controller.signal));
      assert.equal(error.code, "STT_CANCELLED");
      assert.equal(error.retryable, false);
    });

    it("nothing listening -> STT_UNAVAILABLE", async () => {
      const gone = await startLoopbackServer(async () => {});
      await gone.close();
      const nowhere = new GeminiSpeechToText({ apiKey: API_KEY, baseUrl: gone.baseUrl, timeoutMs: 2000 });
      const error = await failureOf(nowhere.transcribe({ wav, language: "ko" }));
      assert.equal(error.code, "STT_UNAVAILABLE");
      assert.equal(error.retryable, true);
    });
  });
});
