import type { Part } from "@google/genai";
import { z } from "zod";
import { createGeminiClient,
  geminiConnection, generateGeminiJson, type GeminiClient, type GeminiConnection } from "../resilience/gemini-json.ts";
import {
  cleanTranscript,
  STT_VOCABULARY,
  type SpeechToText,
  type TranscribeRequest,
  type Transcript,
} from "./speech-to-text.ts";

export interface GeminiSpeechToTextOptions {
  apiKey: string;
  /** Default "gemini-2.5-flash". */
  model?: string;
  baseUrl?: string;
  timeoutMs: number;
  /** Default 0 (no thinking): transcription gains nothing from it but latency. */
  thinkingBudget?: number;
  /** Tell the model what the learner was asked to say. Off by default: see TranscribeRequest. */
  useExpectedTextHint?: boolean;
}

// We grade pronunciation, so the transcript must keep the learner's mistakes.
const TRANSCRIBE_INSTRUCTION = [
  "You transcribe recordings of people learning Korean, for pronunciation practice.",
  "Write exactly what the speaker said, in Hangul.",
  "Do not correct pronunciation, grammar or spelling mistakes; do not complete cut-off words;",
  "do not add, drop or reorder words; do not translate.",
  "Use standard spelling for words said correctly; where a syllable was mispronounced,",
  "write the syllable that was actually heard.",
  "If the recording has no speech, the transcript is an empty string.",
  'Answer with JSON: {"transcript": "..."}.',
].join(" ");

const TRANSCRIPT_JSON_SCHEMA = {
  type: "object",
  properties: { transcript: { type: "string", description: "Verbatim Korean transcript in Hangul" } },
  required: ["transcript"],
};

const transcriptAnswer = z.object({ transcript: z.string().max(2000) });

export class GeminiSpeechToText implements SpeechToText {
  readonly name = "gemini";
  private readonly connection: GeminiConnection;
  private readonly client: GeminiClient;
  private readonly useExpectedTextHint: boolean;

  constructor(options: GeminiSpeechToTextOptions) {
    this.connection = geminiConnection(options);
    this.client = createGeminiClient(this.connection);
    this.useExpectedTextHint = options.useExpectedTextHint ?? false;
  }

  async transcribe(request: TranscribeRequest, signal?: AbortSignal): Promise<Transcript> {
    const parts: Part[] = [
      { text: this.askFor(request) },
      { inlineData: { mimeType: "audio/wav", data: Buffer.from(request.wav.buffer, request.wav.byteOffset, request.wav.byteLength).toString("base64") } },
    ];
    const answer = await generateGeminiJson(
      this.client,
      this.connection,
      STT_VOCABULARY,
      {
        systemInstruction: TRANSCRIBE_INSTRUCTION,
        contents: [{ role: "user", parts }],
        responseJsonSchema: TRANSCRIPT_JSON_SCHEMA,
        answerSchema: transcriptAnswer,
        temperature: 0,
      },
      signal,
    );
    return { text: cleanTranscript(answer.transcript), provider: this.name };
  }

  private askFor(request: TranscribeRequest): string {
    if (this.useExpectedTextHint && request.expectedText) {
      return `The learner was asked to say ${JSON.stringify(request.expectedText)}. Transcribe what was actually said, even where it differs.`;
    }
    return "Transcribe this Korean recording verbatim.";
  }
}
