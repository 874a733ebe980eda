/**
 * A minimal ordered migration runner: `NNN_name.sql` files applied once each, in order, inside
 * one transaction guarded by an advisory lock so several processes starting together do not race.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { SqlDatabase } from "./sql-database.ts";
import { KotoError } from "../errors.ts";

export interface Migration {
  id: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;
const defaultDirectory = fileURLToPath(new URL("./migrations/", import.meta.url));
// Any constant works; it only has to be the same in every KOTO process.
const MIGRATION_LOCK_KEY = 5_000_417;

export function readMigrations(directory = defaultDirectory): Migration[] {
  const files = readdirSync(directory).filter((name) => name.endsWith(".sql")).sort();
  const seen = new Set<string>();
  return files.map((name) => {
    const match = MIGRATION_FILE.exec(name);
    if (!match) throw new KotoError("MIGRATION_INVALID", `migration file ${name} must be named NNN_words.sql`);
    if (seen.has(match[1])) throw new KotoError("MIGRATION_INVALID", `two migrations share the number ${match[1]}`);
    seen.add(match[1]);
    return { id: name.replace(/\.sql$/, ""), sql: readFileSync(join(directory, name), "utf8") };
  });
}

/** Applies pending migrations and returns the ids it applied. */
export async function migrate(db: SqlDatabase, migrations = readMigrations()): Promise<string[]> {
  await db.exec(
    "CREATE TABLE IF NOT EXISTS koto_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
  );
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    const done = new Set((await tx.query<{ id: string }>("SELECT id FROM koto_migrations")).map((row) => row.id));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query("INSERT INTO koto_migrations (id) VALUES ($1)", [migration.id]);
      applied.push(migration.id);
    }
    return applied;
  });
}

/** Splits on semicolons that end a line; our migrations keep to that rule (no functions with bodies). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
    .filter((statement) => statement.length > 0);
}
