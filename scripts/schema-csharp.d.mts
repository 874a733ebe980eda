export const SCHEMA_SOURCE: string;
export const DEFAULT_OUTPUT: string;
export const PROTOCOL_ERRORS_OUTPUT: string;
/** Regenerates the C# state classes into `outputDir` (relative to `root`); returns the .cs file names. */
export function generateCsharpSchema(outputDir: string, options?: { root?: string; metas?: boolean }): string[];
/** The C# text of Protocol.g.cs. */
export function protocolErrorsCsharp(sentences: Record<string, string>, retryableFailures: string[],
  moves?: { closeCode: number; openCodes: string[]; drainingMessage: string }): string;
/** Writes Protocol.g.cs from protocol/error-codes.ts, protocol/session-moves.ts and the server's retryable failures; returns its path. */
export function generateProtocolErrors(outputFile: string, options?: { root?: string; metas?: boolean }): Promise<string>;
