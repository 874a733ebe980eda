/**
 * Gemini's speech generation (a TTS model through generateContent with AUDIO output). The answer
 * is raw 16-bit PCM as inline data (`audio/L16;codec=pcm;rate=24000`), which we wrap in a WAV file.
 */
import { geminiApiError, lazyGeminiClient, type GeminiClient } from "../speech/resilience/gemini-json.ts";
import { encodeWav } from "../speech/audio/wav.ts";
import { bytesLEToInt16 } from "../speech/audio/frame.ts";
import { textToSpeechFailed, type SynthesizedLine, type TextToSpeech } from "./text-to-speech.ts";

export interface GeminiTextToSpeechOptions {
  apiKey: string;
  /** Default "gemini-2.5-flash-preview-tts". */
  model?: string;
  /** One of Gemini's prebuilt voices; default "Kore". */
  voice?: string;
  baseUrl?: string;
  timeoutMs: number;
}

// The model reads the whole prompt aloud: the instruction keeps it to the line, spoken clearly.
const READ_ALOUD = "Read this Korean line aloud slowly and clearly, as a teacher for beginners would:";

export class GeminiTextToSpeech implements TextToSpeech {
  readonly name = "gemini";
  readonly voice: string;
  private readonly model: string;
  private readonly client: GeminiClient;

  constructor(options: GeminiTextToSpeechOptions) {
    this.voice = options.voice ?? "Kore";
    this.model = options.model ?? "gemini-2.5-flash-preview-tts";
    this.client = lazyGeminiClient({
      apiKey: options.apiKey,
      vertexai: false,
      httpOptions: { baseUrl: options.baseUrl, timeout: options.timeoutMs },
    });
  }

  async synthesize(korean: string): Promise<SynthesizedLine> {
    let response;
    try {
      response = await (await this.client()).models.generateContent({
        model: this.model,
        contents: [{ role: "user", parts: [{ text: `${READ_ALOUD} ${korean}` }] }],
        config: {
          responseModalities: ["AUDIO"],
          speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: this.voice } } },
        },
      });
    } catch (error) {
      const apiError = await geminiApiError(error);
      const reason = apiError ? `HTTP ${apiError.status}: ${apiError.message}` : (error as Error).message;
      throw textToSpeechFailed("gemini", reason, error);
    }
    const inline = response.candidates?.[0]?.content?.parts?.find((part) => part.inlineData?.data)?.inlineData;
    if (!inline?.data) throw textToSpeechFailed("gemini", "the answer carried no audio");
    const mimeType = inline.mimeType ?? "";
    const rate = Number(/rate=(\d+)/i.exec(mimeType)?.[1] ?? 24000);
    if (!/^audio\/(L16|pcm)/i.test(mimeType) || !Number.isInteger(rate) || rate < 8000) {
      throw textToSpeechFailed("gemini", `unexpected audio type "${mimeType}"`);
    }
    const pcm = Buffer.from(inline.data, "base64");
    const samples = bytesLEToInt16(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength - (pcm.byteLength % 2)));
    return { wav: encodeWav(samples, rate) };
  }
}
