// Types for patch-uws-glibc.mjs, which stays plain JavaScript so npm can run it under any Node.

export declare const PATCHED_AWAY_GLIBC: string;

/** A file byte range the patch rewrote. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** One redirected import (`symbol`) or the renamed version need (`version`). */
export interface PatchChange {
  symbol?: string;
  version?: string;
  from: string;
  to: string;
  bytes: ByteRange[];
}

export interface PatchResult {
  patched: boolean;
  /** A patched copy; the input is never modified. */
  image: Buffer;
  changes: PatchChange[];
}

export interface VersionNeed {
  file: string;
  versions: { name: string; index: number; hash: number; flags: number }[];
}

export interface DynamicImport {
  index: number;
  name: string;
  version: string | undefined;
  library: string | undefined;
}

export type Plan = "leave" | "patch" | "unsupported";

export interface RunOptions {
  projectRoot: string;
  platform?: string;
  arch?: string;
  hostGlibc?: string | undefined;
  appNode?: string;
  log?: (line: string) => void;
}

export interface BinaryOutcome {
  name: string;
  action: "leave" | "patched" | "unsupported" | "failed";
  changes?: PatchChange[];
}

export interface RunOutcome {
  action: "none" | "patched" | "unsupported";
  binaries: BinaryOutcome[];
  verified: boolean | undefined;
}

export declare function elfHash(name: string): number;
export declare function readVersionNeeds(image: Uint8Array): VersionNeed[];
export declare function readImports(image: Uint8Array): DynamicImport[];
export declare function compareGlibcVersions(a: string, b: string): -1 | 0 | 1;
export declare function requiredGlibc(image: Uint8Array): string | undefined;
export declare function needsPatch(hostGlibc: string, required?: string): boolean;
export declare function choosePlan(hostGlibc: string, requiredNow: string | undefined, requiredAfterPatch: string | undefined): Plan;
export declare function patchElfForOldGlibc(image: Uint8Array): PatchResult;
export declare function parseLddVersion(output: string): string | undefined;
export declare function glibcVersion(): string | undefined;
export declare function verifyLoads(projectRoot: string, appNode: string): { ok: boolean; runtime: string; detail: string };
export declare function run(options: RunOptions): RunOutcome;
