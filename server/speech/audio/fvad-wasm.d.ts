// Types for the parts of @echogarden/fvad-wasm (an Emscripten build of libfvad) this project uses.
declare module "@echogarden/fvad-wasm" {
  export interface FvadModule {
    _fvad_new(): number;
    _fvad_free(handle: number): void;
    _fvad_reset(handle: number): void;
    /** 0 (quality) .. 3 (very aggressive); returns 0, or -1 for a bad mode. */
    _fvad_set_mode(handle: number, mode: number): number;
    /** 8000, 16000, 32000 or 48000; returns 0, or -1 for a bad rate. */
    _fvad_set_sample_rate(handle: number, sampleRate: number): number;
    /** 10, 20 or 30 ms of samples at `framePointer`; returns 1 (voice), 0 (no voice) or -1 (error). */
    _fvad_process(handle: number, framePointer: number, length: number): number;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    /** Views of the WASM heap; replaced when the heap grows, so read them afresh after allocating. */
    HEAP16: Int16Array;
    HEAPU8: Uint8Array;
  }
  const createFvadModule: (moduleArg?: Record<string, unknown>) => Promise<FvadModule>;
  export default createFvadModule;
}
