export const SCHEMA_SOURCE: string;
export const DEFAULT_OUTPUT: string;
/** Regenerates the C# state classes into `outputDir` (relative to `root`); returns the .cs file names. */
export function generateCsharpSchema(outputDir: string, options?: { root?: string; metas?: boolean }): string[];
