/**
 * Builds the configured text-to-speech provider and the model-audio library from configuration.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { ModelAudioConfig } from "../config.ts";
import { FileRecordingStorage, newS3RecordingStorage, type RecordingStorage } from "../recordings/index.ts";
import { EspeakTextToSpeech } from "./espeak-text-to-speech.ts";
import { GeminiTextToSpeech } from "./gemini-text-to-speech.ts";
import { MANIFEST_KEY, ModelAudioLibrary } from "./model-audio-library.ts";
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
    // Connections of its own, not kept alive: the server reads a few objects at start and then waits
    // for learners. A socket of ours idling in Node's shared pool could be closed by the store at the
    // moment the recordings client reuses it (ECONNRESET at start-up, seen with s3rver).
    const agent = s3.useSSL ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
    const bucket = await newS3RecordingStorage({ ...s3, agent });
    if (options.prepare) await bucket.ensureBucket();
    // A missing bucket or manifest is "no model audio yet", asked with HEAD requests.
    else if (!(await bucket.bucketExists()) || !(await bucket.exists(MANIFEST_KEY))) return new ModelAudioLibrary(bucket);
    storage = bucket;
  }
  return new ModelAudioLibrary(storage).load();
}
