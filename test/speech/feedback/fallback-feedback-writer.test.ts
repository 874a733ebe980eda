import assert from "node:assert/strict";
import { FallbackFeedbackWriter } from "../../../server/speech/feedback/fallback-feedback-writer.ts";
import type { FeedbackRequest, FeedbackWriter } from "../../../server/speech/feedback/feedback-writer.ts";
import { GeminiFeedbackWriter } from "../../../server/speech/feedback/gemini-feedback-writer.ts";
import { TemplateFeedbackWriter } from "../../../server/speech/feedback/template-feedback-writer.ts";
import { ProviderError } from "../../../server/speech/resilience/provider-error.ts";
import { startFakeGemini, type FakeGemini } from "../../fakes/fake-gemini.ts";

const attempt: FeedbackRequest = {
  target: "저는",
  transcript: "조는",
  learnerLanguage: "en",
  overall: 50,
  syllables: [
    { index: 0, target: "저", heard: "조", verdict: "substituted" },
    { index: 1, target: "는", heard: "는", verdict: "correct" },
  ],
};

describe("FallbackFeedbackWriter", () => {
  let fake: FakeGemini;
  beforeEach(async () => {
    fake = await startFakeGemini({ apiKey: "k", tip: () => "Round your lips less for 저." });
  });
  afterEach(() => fake.close());

  const writerWith = (onFallback?: (error: unknown) => void, timeoutMs = 2000): FeedbackWriter =>
    new FallbackFeedbackWriter(
      new GeminiFeedbackWriter({ apiKey: "k", baseUrl: fake.baseUrl, timeoutMs }),
      new TemplateFeedbackWriter(),
      { onFallback },
    );

  it("uses Gemini's tip when Gemini answers", async () => {
    assert.deepEqual(await writerWith().write(attempt), { tip: "Round your lips less for 저.", source: "gemini" });
  });

  it("falls back to the template tip when Gemini fails, and reports why", async () => {
    fake.setBehavior({ failWith: { status: 500 } });
    const reasons: unknown[] = [];
    const feedback = await writerWith((error) => reasons.push(error)).write(attempt);
    assert.deepEqual(feedback, { tip: "Listen again to 어 in 저는: you said 오.", source: "template" });
    assert.equal(reasons.length, 1);
    assert.ok(reasons[0] instanceof ProviderError && reasons[0].code === "FEEDBACK_UNAVAILABLE");
  });

  it("falls back when Gemini is too slow", async () => {
    fake.setBehavior({ delayMs: 1000 });
    const feedback = await writerWith(undefined, 100).write(attempt);
    assert.equal(feedback.source, "template");
  });

  it("falls back when Gemini's answer is unusable", async () => {
    fake.setBehavior({ answer: () => "{not json" });
    assert.equal((await writerWith().write(attempt)).source, "template");
  });
});
