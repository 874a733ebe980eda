/** Asset path (relative, "/"-separated) → the .meta text Unity needs for it. */
export function expectedMetas(packageDir: string): Map<string, string>;
export function missingMetas(packageDir: string): string[];
export function writeMetas(packageDir: string): string[];
