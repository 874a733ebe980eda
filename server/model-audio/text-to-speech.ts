/**
 * Model audio: a lesson line read aloud by a text-to-speech provider. Every provider hands back a
 * WAV file, so storage, caching and players never care which one made it.
 */
import { KotoError } from "../errors.ts";

export interface SynthesizedLine {
  /** A RIFF/WAVE file of 16-bit PCM. */
  wav: Uint8Array;
}

export interface TextToSpeech {
  /** "espeak", "gemini" or "openai": part of the audio's key, so a new provider never reuses old files. */
  readonly name: string;
  /** The voice asked for; also part of the key. */
  readonly voice: string;
  synthesize(korean: string): Promise<SynthesizedLine>;
}

/** One code for every provider failure: the CLI prints the sentence and stops. */
export function textToSpeechFailed(provider: string, reason: string, cause?: unknown): KotoError {
  const error = new KotoError("TTS_FAILED", `text-to-speech (${provider}) failed: ${reason}`, 502);
  if (cause !== undefined) error.cause = cause;
  return error;
}
