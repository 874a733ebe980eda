import assert from "node:assert/strict";
import { KotoError } from "../../../server/errors.ts";
import { createProviderGuard } from "../../../server/speech/resilience/provider-guard.ts";
import { GeminiSpeechToText } from "../../../server/speech/stt/gemini-speech-to-text.ts";
import { GuardedSpeechToText } from "../../../server/speech/stt/guarded-speech-to-text.ts";
import { OpenAiSpeechToText } from "../../../server/speech/stt/openai-speech-to-text.ts";
import { startFakeGemini } from "../../fakes/fake-gemini.ts";
import { startFakeOpenAiStt } from "../../fakes/fake-openai-stt.ts";
import { makeTestWav } from "../../fakes/test-wav.ts";

const guardFor = (name: string) =>
  createProviderGuard({
    name,
    service: "Speech recognition",
    timeoutMs: 300,
    maxAttempts: 3,
    baseDelayMs: 5,
    maxDelayMs: 20,
    concurrency: 2,
    queueLimit: 2,
    breaker: { failureThreshold: 5, halfOpenAfterMs: 1000 },
  });

describe("GuardedSpeechToText", () => {
  const wav = makeTestWav();

  it("retries Gemini through two 503s and returns the transcript of the third attempt", async () => {
    const fake = await startFakeGemini({ apiKey: "k", transcript: () => "안녕하세요", failWith: { status: 503, times: 2 } });
    try {
      const stt = new GuardedSpeechToText(new GeminiSpeechToText({ apiKey: "k", baseUrl: fake.baseUrl, timeoutMs: 1000 }), guardFor("stt-gemini"));
      assert.equal(stt.name, "gemini");
      assert.deepEqual(await stt.transcribe({ wav, language: "ko" }), { text: "안녕하세요", provider: "gemini" });
      assert.equal(fake.requests.length, 3);
    } finally {
      await fake.close();
    }
  });

  it("sends a rejected recording once and reports STT_REJECTED", async () => {
    const fake = await startFakeOpenAiStt({ failWith: { status: 400, message: "Audio file is too short." } });
    try {
      const stt = new GuardedSpeechToText(new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 1000 }), guardFor("stt-openai"));
      await assert.rejects(stt.transcribe({ wav, language: "ko" }), (error: unknown) => error instanceof KotoError && error.code === "STT_REJECTED");
      assert.equal(fake.requests.length, 1);
    } finally {
      await fake.close();
    }
  });

  it("gives up on a hanging provider after maxAttempts timeouts", async () => {
    const fake = await startFakeOpenAiStt({ hang: true });
    try {
      const guard = guardFor("stt-openai");
      const stt = new GuardedSpeechToText(new OpenAiSpeechToText({ baseUrl: fake.baseUrl, timeoutMs: 5000 }), guard);
      await assert.rejects(stt.transcribe({ wav, language: "ko" }), (error: unknown) => error instanceof KotoError && error.code === "PROVIDER_TIMEOUT");
      assert.equal(fake.requests.length, 3);
      assert.equal(guard.stats().timeouts, 3);
    } finally {
      await fake.close();
    }
  });
});
