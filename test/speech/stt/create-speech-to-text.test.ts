import assert from "node:assert/strict";
import { KotoError } from "../../../server/errors.ts";
import { createSpeechToText } from "../../../server/speech/stt/create-speech-to-text.ts";
import { GeminiSpeechToText } from "../../../server/speech/stt/gemini-speech-to-text.ts";
import { NoSpeechToText } from "../../../server/speech/stt/no-speech-to-text.ts";
import { OpenAiSpeechToText } from "../../../server/speech/stt/openai-speech-to-text.ts";
import { makeTestWav } from "../../fakes/test-wav.ts";

describe("createSpeechToText", () => {
  it("builds the provider the settings name", () => {
    assert.ok(createSpeechToText({ provider: "gemini", apiKey: "k", timeoutMs: 1000 }) instanceof GeminiSpeechToText);
    assert.ok(createSpeechToText({ provider: "openai", baseUrl: "http://127.0.0.1:1", timeoutMs: 1000 }) instanceof OpenAiSpeechToText);
    assert.ok(createSpeechToText({ provider: "none" }) instanceof NoSpeechToText);
  });
});

describe("NoSpeechToText", () => {
  it("refuses with STT_DISABLED and tells the learner a tutor will grade", async () => {
    const stt = new NoSpeechToText();
    assert.equal(stt.name, "none");
    await assert.rejects(stt.transcribe({ wav: makeTestWav(), language: "ko" }), (error: unknown) => {
      assert.ok(error instanceof KotoError);
      assert.equal(error.code, "STT_DISABLED");
      assert.equal(error.detail, "Automatic scoring is off on this server; a tutor will grade your attempt.");
      return true;
    });
  });
});
