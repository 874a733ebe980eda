/**
 * Where model audio lives: each distinct spoken line as Ogg Opus (what clients get: ~24 kbit/s, a
 * fifteenth of the WAV) and as the provider's WAV (the fallback for a browser that cannot play Ogg
 * Opus, and the source to encode again), named by a hash of provider, voice and text (so the same
 * line in two lessons is stored once, and a new provider or an edited line gets a new name), plus a
 * manifest mapping each line to its files. The storage is the recording storage interface pointed
 * elsewhere: the `koto-content` bucket, or DATA_DIR/model-audio.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { RecordingStorage } from "../recordings/index.ts";
import { OGG_OPUS_CONTENT_TYPE, wavToOggOpus } from "./ogg-opus.ts";
import type { TextToSpeech } from "./text-to-speech.ts";

export const MANIFEST_KEY = "model-audio/manifest.json";
/** A file name as the route accepts it: 32 hex characters and ".opus" or ".wav". */
export const MODEL_AUDIO_FILE = /^[0-9a-f]{32}\.(opus|wav)$/;
const CONTENT_TYPES = { opus: OGG_OPUS_CONTENT_TYPE, wav: "audio/wav" } as const;
/** Relative to the API base: clients resolve it against the address they reach the API at. */
export const MODEL_AUDIO_PATH = "api/model-audio";

const compressedSchema = z.object({ file: z.string().regex(/^[0-9a-f]{32}\.opus$/), etag: z.string(), bytes: z.number().int().positive() });
const entrySchema = z.object({
  /** The WAV. */
  file: z.string().regex(/^[0-9a-f]{32}\.wav$/),
  etag: z.string(),
  bytes: z.number().int().positive(),
  provider: z.string(),
  voice: z.string(),
  /** The same line as Ogg Opus; absent in a library made before it existed (run synthesize-audio again). */
  opus: compressedSchema.optional(),
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
  private readonly cache = new Map<string, { bytes: Uint8Array; etag: string; contentType: string }>();

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

  /**
   * The URL the lesson step gets for this spoken line (the Ogg Opus file when there is one), or null
   * when none was made. The WAV is at the same name with ".wav": clients that cannot play Ogg Opus
   * swap the extension (web-client/src/audio/line-player.ts).
   */
  urlFor(spokenKorean: string): string | null {
    const entry = this.lines.get(spokenKorean);
    return entry ? `${MODEL_AUDIO_PATH}/${entry.opus?.file ?? entry.file}` : null;
  }

  /** The stored file, its ETag and type; kept in memory after the first read (a course is a few MB). */
  async file(name: string): Promise<{ bytes: Uint8Array; etag: string; contentType: string } | null> {
    const format = MODEL_AUDIO_FILE.exec(name)?.[1] as keyof typeof CONTENT_TYPES | undefined;
    if (!format) return null;
    const cached = this.cache.get(name);
    if (cached) return cached;
    const stored = await this.storage.get(`model-audio/${name}`);
    if (!stored) return null;
    const entry = [...this.lines.values()].find((candidate) => candidate.file === name || candidate.opus?.file === name);
    const etag = (entry?.file === name ? entry.etag : entry?.opus?.etag) ?? etagOf(stored.bytes);
    const file = { bytes: stored.bytes, etag, contentType: CONTENT_TYPES[format] };
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
      const opusFile = file.replace(/\.wav$/, ".opus");
      if (!options.force && existing?.file === file && existing.opus && (await this.storage.get(`model-audio/${opusFile}`))) {
        report.reused++;
        options.onLine?.(text, "kept");
        continue;
      }
      try {
        // A library from before Opus keeps its WAV: only the compressed copy is made.
        const kept = !options.force && existing?.file === file ? await this.storage.get(`model-audio/${file}`) : null;
        const wav = kept?.bytes ?? (await tts.synthesize(text)).wav;
        const opus = wavToOggOpus(wav).bytes;
        if (!kept) await this.storage.put(`model-audio/${file}`, wav, "audio/wav");
        await this.storage.put(`model-audio/${opusFile}`, opus, OGG_OPUS_CONTENT_TYPE);
        this.lines.set(text, {
          file, etag: etagOf(wav), bytes: wav.byteLength, provider: tts.name, voice: tts.voice,
          opus: { file: opusFile, etag: etagOf(opus), bytes: opus.byteLength },
        });
        this.cache.delete(file);
        this.cache.delete(opusFile);
        await this.saveManifest();
        report.synthesized++;
        options.onLine?.(text, `${opus.byteLength} bytes Opus (${wav.byteLength} WAV)`);
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
