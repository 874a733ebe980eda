/**
 * Builds the configured text-to-speech provider and the model-audio library from configuration.
 */
import type { ModelAudioConfig } from "../config.ts";
import { FileRecordingStorage, S3RecordingStorage, type RecordingStorage } from "../recordings/index.ts";
import { EspeakTextToSpeech } from "./espeak-text-to-speech.ts";
import { GeminiTextToSpeech } from "./gemini-text-to-speech.ts";
import { ModelAudioLibrary } from "./model-audio-library.ts";
import { OpenAiTextToSpeech } from "./openai-text-to-speech.ts";
import type { TextToSpeech } from "./text-to-speech.ts";

export function createTextToSpeech(config: ModelAudioConfig["tts"]): TextToSpeech {
  switch (config.provider) {
    case "espeak":
      return new EspeakTextToSpeech({ voice: config.voice });
    case "gemini":
      return new GeminiTextToSpeech(config);
    case "openai":
      return new OpenAiTextToSpeech(config);
  }
}

/** The library with its manifest read. `prepare` creates the bucket (the CLI writes; the server only reads). */
export async function openModelAudio(config: ModelAudioConfig, options: { prepare?: boolean } = {}): Promise<ModelAudioLibrary> {
  let storage: RecordingStorage;
  if (config.storage.kind === "file") {
    storage = new FileRecordingStorage(config.storage.directory);
  } else {
    const { kind: _kind, ...s3 } = config.storage;
    const bucket = new S3RecordingStorage(s3);
    if (options.prepare) await bucket.ensureBucket();
    storage = bucket;
  }
  return new ModelAudioLibrary(storage).load();
}
