import { z } from "zod";
import { createGeminiClient,
  geminiConnection, generateGeminiJson, type GeminiClient, type GeminiConnection } from "../resilience/gemini-json.ts";
import { providerFailure } from "../resilience/provider-error.ts";
import { attemptDataBlock, feedbackInstruction } from "./feedback-prompt.ts";
import {
  DEFAULT_MAX_TIP_CHARS,
  FEEDBACK_VOCABULARY,
  type Feedback,
  type FeedbackRequest,
  type FeedbackWriter,
} from "./feedback-writer.ts";
import { cleanTip } from "./tip-text.ts";

export interface GeminiFeedbackWriterOptions {
  apiKey: string;
  /** Default "gemini-2.5-flash". */
  model?: string;
  baseUrl?: string;
  timeoutMs: number;
  /** Default 240. */
  maxTipChars?: number;
  /** Default 0 (no thinking): a one-line tip is not worth the latency. */
  thinkingBudget?: number;
}

// The answer has a tip and nothing else: no score field exists for the model to fill, and any
// extra field it sends anyway is dropped by the parse below.
const TIP_JSON_SCHEMA = {
  type: "object",
  properties: { tip: { type: "string", description: "One short encouraging pronunciation tip" } },
  required: ["tip"],
};

const tipAnswer = z.object({ tip: z.string() });

export class GeminiFeedbackWriter implements FeedbackWriter {
  private readonly connection: GeminiConnection;
  private readonly client: GeminiClient;
  private readonly maxTipChars: number;

  constructor(options: GeminiFeedbackWriterOptions) {
    this.connection = geminiConnection(options);
    this.client = createGeminiClient(this.connection);
    this.maxTipChars = options.maxTipChars ?? DEFAULT_MAX_TIP_CHARS;
  }

  async write(request: FeedbackRequest, signal?: AbortSignal): Promise<Feedback> {
    const answer = await generateGeminiJson(
      this.client,
      this.connection,
      FEEDBACK_VOCABULARY,
      {
        systemInstruction: feedbackInstruction(request.learnerLanguage, this.maxTipChars),
        contents: [{ role: "user", parts: [{ text: attemptDataBlock(request) }] }],
        responseJsonSchema: TIP_JSON_SCHEMA,
        answerSchema: tipAnswer,
        temperature: 0.4,
        maxOutputTokens: 400,
      },
      signal,
    );
    const tip = cleanTip(answer.tip, this.maxTipChars);
    if (tip === "") {
      throw providerFailure(FEEDBACK_VOCABULARY, "bad_response", "gemini", { cause: new Error("empty tip") });
    }
    return { tip, source: "gemini" };
  }
}
