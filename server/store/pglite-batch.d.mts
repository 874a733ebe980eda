import type { PGlite } from "@electric-sql/pglite";

export function parameterText(value: unknown): string | null;
export function batchMessage(statements: { sql: string; params?: unknown[] }[]): Uint8Array;
export function runBatch(db: PGlite, statements: { sql: string; params?: unknown[] }[]): Promise<Record<string, any>[][]>;
