/**
 * The offline default: eSpeak NG compiled to WebAssembly (npm `espeak-ng`, which embeds the
 * espeak-ng-data folder with the Korean voice), so `npm ci` is all a fresh machine needs. Robotic
 * but real Korean; byte-identical to Debian's espeak-ng 1.51 for the same text.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { textToSpeechFailed, type SynthesizedLine, type TextToSpeech } from "./text-to-speech.ts";

type EspeakFactory = (options: Record<string, unknown>) => Promise<{ FS: { readFile(path: string): Uint8Array } }>;

export interface EspeakOptions {
  /** An eSpeak voice; "ko" is the Korean one. */
  voice?: string;
  /** Words per minute; eSpeak's default is 175, too fast for beginners. */
  wordsPerMinute?: number;
}

export class EspeakTextToSpeech implements TextToSpeech {
  readonly name = "espeak";
  readonly voice: string;
  private readonly wordsPerMinute: number;
  private wasm: Uint8Array | undefined;

  constructor(options: EspeakOptions = {}) {
    this.voice = options.voice ?? "ko";
    this.wordsPerMinute = options.wordsPerMinute ?? 140;
  }

  async synthesize(korean: string): Promise<SynthesizedLine> {
    const factory: EspeakFactory = (await import("espeak-ng")).default;
    // The package is eSpeak's command line as a module: each call runs main() once in a fresh
    // instance. Handing it the compiled bytes spares reading 18 MB again for every line.
    this.wasm ??= readFileSync(createRequire(import.meta.url).resolve("espeak-ng/dist/espeak-ng.wasm"));
    const errors: string[] = [];
    try {
      const espeak = await factory({
        arguments: ["-v", this.voice, "-s", String(this.wordsPerMinute), "-w", "/line.wav", korean],
        wasmBinary: this.wasm,
        print: () => {},
        printErr: (line: string) => errors.push(line),
      });
      const wav = espeak.FS.readFile("/line.wav");
      if (wav.byteLength <= 44) throw new Error(errors.join("; ") || "no audio was produced");
      return { wav: new Uint8Array(wav) };
    } catch (error) {
      throw textToSpeechFailed("espeak", errors.join("; ") || (error as Error).message, error);
    }
  }
}
