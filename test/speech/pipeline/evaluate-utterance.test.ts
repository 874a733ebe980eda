import assert from "node:assert/strict";
import { evaluateUtterance } from "../../../server/speech/pipeline/evaluate-utterance.ts";
import { TemplateFeedbackWriter } from "../../../server/speech/feedback/template-feedback-writer.ts";
import type { SpeechToText } from "../../../server/speech/stt/speech-to-text.ts";
import { loadFixture } from "../audio/signals.ts";

const speech = loadFixture("annyeonghaseyo").samples;
const timing = { speechMs: 1200, pauses: [], speechStartMs: 0, speechEndMs: (speech.length / 16000) * 1000 };
const hearing = (text: string): SpeechToText => ({ name: "openai", transcribe: async () => ({ text }) as never });

describe("evaluateUtterance (trim → speech-to-text → score → feedback)", () => {
  it("marks an answer correct when every syllable is right by sound, whatever the level of the score", async () => {
    const result = await evaluateUtterance({ samples: speech, timing, accepted: ["안녕하세요"], learnerLanguage: "en" },
      { speechToText: hearing("안녕하세요"), feedback: new TemplateFeedbackWriter() });
    assert.equal(result.status, "scored");
    assert.equal(result.status === "scored" && result.correct, true);
  });

  it("fails with the scorer's code, never hangs, when a recogniser loops past the input caps", async () => {
    const result = await evaluateUtterance({ samples: speech, timing, accepted: ["안녕하세요"], learnerLanguage: "en" },
      { speechToText: hearing("안녕하세요 ".repeat(300)), feedback: new TemplateFeedbackWriter() });
    assert.equal(result.status, "failed");
    assert.equal(result.status === "failed" && result.code, "ANSWER_TOO_LONG");
  });
});
