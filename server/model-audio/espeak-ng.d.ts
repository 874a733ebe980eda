/** npm `espeak-ng` ships no types: an Emscripten module factory running eSpeak NG's main(). */
declare module "espeak-ng" {
  const ESpeakNg: (options: Record<string, unknown>) => Promise<{ FS: { readFile(path: string): Uint8Array } }>;
  export default ESpeakNg;
}
