import type { PGlite } from "@electric-sql/pglite";

export function parameterText(value: unknown): string | null;
export const MAX_PREPARED: number;
export interface PreparedStatements { names: Map<string, string>; next: number }
export function batchMessage(statements: { sql: string; params?: unknown[] }[], prepared?: PreparedStatements): { message: Uint8Array; introduced: string[] };
export function runBatch(db: PGlite, statements: { sql: string; params?: unknown[] }[]): Promise<Record<string, any>[][]>;
export function forgetPrepared(db: PGlite): Promise<void>;
