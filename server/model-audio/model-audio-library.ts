/**
 * Where model audio lives: one WAV per distinct spoken line, named by a hash of provider, voice and
 * text (so the same line in two lessons is stored once, and a new provider or an edited line gets a
 * new name), plus a manifest mapping each line to its file. The storage is the recording storage
 * interface pointed elsewhere: the `koto-content` bucket, or DATA_DIR/model-audio.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { RecordingStorage } from "../recordings/index.ts";
import type { TextToSpeech } from "./text-to-speech.ts";

export const MANIFEST_KEY = "model-audio/manifest.json";
/** A file name as the route accepts it: 32 hex characters and ".wav". */
export const MODEL_AUDIO_FILE = /^[0-9a-f]{32}\.wav$/;
/** Relative to the API base: clients resolve it against the address they reach the API at. */
export const MODEL_AUDIO_PATH = "api/model-audio";

const entrySchema = z.object({
  file: z.string().regex(MODEL_AUDIO_FILE),
  etag: z.string(),
  bytes: z.number().int().positive(),
  provider: z.string(),
  voice: z.string(),
});
const manifestSchema = z.object({ version: z.literal(1), lines: z.record(z.string(), entrySchema) });

export type ModelAudioEntry = z.infer<typeof entrySchema>;

export interface SynthesisReport {
  synthesized: number;
  reused: number;
  failed: { text: string; reason: string }[];
}

export class ModelAudioLibrary {
  private lines = new Map<string, ModelAudioEntry>();
  private readonly cache = new Map<string, { bytes: Uint8Array; etag: string }>();

  constructor(readonly storage: RecordingStorage) {}

  /** Reads the manifest; a library never synthesized is simply empty. */
  async load(): Promise<this> {
    const stored = await this.storage.get(MANIFEST_KEY);
    if (!stored) return this;
    const parsed = manifestSchema.parse(JSON.parse(new TextDecoder().decode(stored.bytes)));
    this.lines = new Map(Object.entries(parsed.lines));
    return this;
  }

  get size(): number {
    return this.lines.size;
  }

  /** The URL the lesson step gets for this spoken line, or null when none was made. */
  urlFor(spokenKorean: string): string | null {
    const entry = this.lines.get(spokenKorean);
    return entry ? `${MODEL_AUDIO_PATH}/${entry.file}` : null;
  }

  /** The stored file and its ETag; kept in memory after the first read (a course is a few MB). */
  async file(name: string): Promise<{ bytes: Uint8Array; etag: string } | null> {
    if (!MODEL_AUDIO_FILE.test(name)) return null;
    const cached = this.cache.get(name);
    if (cached) return cached;
    const stored = await this.storage.get(`model-audio/${name}`);
    if (!stored) return null;
    const entry = [...this.lines.values()].find((candidate) => candidate.file === name);
    const file = { bytes: stored.bytes, etag: entry?.etag ?? etagOf(stored.bytes) };
    this.cache.set(name, file);
    return file;
  }

  /**
   * Makes the audio of every line that has none from this provider and voice yet (all of them
   * with `force`), one at a time, and writes the manifest after each line so an interrupted run
   * keeps what it made.
   */
  async synthesize(lines: readonly string[], tts: TextToSpeech, options: { force?: boolean; onLine?: (text: string, outcome: string) => void } = {}): Promise<SynthesisReport> {
    const report: SynthesisReport = { synthesized: 0, reused: 0, failed: [] };
    for (const text of [...new Set(lines)]) {
      const file = fileNameFor(tts, text);
      const existing = this.lines.get(text);
      if (!options.force && existing?.file === file && (await this.storage.get(`model-audio/${file}`))) {
        report.reused++;
        options.onLine?.(text, "kept");
        continue;
      }
      try {
        const { wav } = await tts.synthesize(text);
        await this.storage.put(`model-audio/${file}`, wav, "audio/wav");
        this.lines.set(text, { file, etag: etagOf(wav), bytes: wav.byteLength, provider: tts.name, voice: tts.voice });
        this.cache.delete(file);
        await this.saveManifest();
        report.synthesized++;
        options.onLine?.(text, `${wav.byteLength} bytes`);
      } catch (error) {
        report.failed.push({ text, reason: (error as Error).message });
        options.onLine?.(text, `failed: ${(error as Error).message}`);
      }
    }
    return report;
  }

  private async saveManifest(): Promise<void> {
    const manifest = { version: 1 as const, lines: Object.fromEntries([...this.lines].sort(([a], [b]) => a.localeCompare(b))) };
    await this.storage.put(MANIFEST_KEY, new TextEncoder().encode(JSON.stringify(manifest, null, 1)), "application/json");
  }
}

export function fileNameFor(tts: Pick<TextToSpeech, "name" | "voice">, text: string): string {
  return `${createHash("sha256").update(`${tts.name}\n${tts.voice}\n${text}`).digest("hex").slice(0, 32)}.wav`;
}

/** A strong validator: the bytes' own hash, quoted as HTTP wants it. */
function etagOf(bytes: Uint8Array): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
}
