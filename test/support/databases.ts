/**
 * The store suites run against both back-ends: embedded PGlite and this machine's Postgres.
 * Each Postgres run gets a fresh schema-less database so tests never see each other's rows.
 */
import pg from "pg";
import { randomBytes } from "node:crypto";

export const POSTGRES_ADMIN_URL = process.env.KOTO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database on the test Postgres server and returns its URL. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `koto_test_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
