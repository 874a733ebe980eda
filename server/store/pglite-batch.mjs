/**
 * Several statements on PGlite as one round trip into its WASM: Parse, Bind, Describe and Execute for
 * each, then a single Sync, handed to `execProtocol` together. Postgres runs the statements of one
 * Sync as one implicit transaction: all are committed at the Sync, or, at the first error, none.
 *
 * Why by hand: PGlite's `query` makes six calls into the WASM for each statement (parse, describe the
 * parameters, bind, describe, execute, sync) and a transaction adds BEGIN and COMMIT; on the embedded
 * database that plumbing, not Postgres, was most of an answer's store cost (docs/capacity.md §4.13:
 * a two-statement batch 0.34–0.39 ms → 0.23–0.25 ms of CPU). The messages are built with PGlite's own
 * protocol serializer and the rows read with its own result parser; only the parameters' text is ours.
 *
 * Parameters are sent as text chosen by their JavaScript type (PGlite's `query` asks Postgres for the
 * types first): null → NULL, a boolean → t/f, a Date → ISO 8601, an array → a Postgres array literal,
 * bytes → bytea hex, any other object → JSON. A JSON column therefore takes an object or a string, never
 * an array (which would be sent as a Postgres array): the store stringifies its JSON itself.
 *
 * Each SQL text is parsed once per PGlite and kept as a named prepared statement: Postgres then skips
 * parsing, analysis and (once it settles on a generic plan) planning, and an answer's statements cost
 * about half the CPU (docs/capacity.md §4.14: 0.87–0.97 → 0.47–0.66 ms for an insert and two updates).
 * Prepared statements outlive a failed transaction, so after an error the names this batch introduced
 * are closed and forgotten (Close of a name that was never parsed is not an error). At most
 * MAX_PREPARED texts are kept; others run unnamed, as before.
 *
 * Plain JavaScript: it runs on the PGlite worker thread (server/store/pglite-worker.mjs) too.
 */
import { parse, protocol, types } from "@electric-sql/pglite";

const { serialize } = protocol;

/** @param {unknown} value @returns {string | null} */
export function parameterText(value) {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "t" : "f";
    default:
      break;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return types.arraySerializer(value.map(arrayElement));
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
  return JSON.stringify(value);
}

/** An element of an array parameter: arraySerializer quotes each one (null stays NULL, a nested array stays an array). */
function arrayElement(value) {
  if (Array.isArray(value)) return value.map(arrayElement);
  return parameterText(value);
}

/** SQL texts a store sends are its own constants: a few dozen. A bound, should one ever be built from data. */
export const MAX_PREPARED = 256;

/** @typedef {{ names: Map<string, string>, next: number }} PreparedStatements */

/** Per PGlite: which SQL texts are prepared, and under which name. */
const preparedByDb = new WeakMap();

/** @param {object} db @returns {PreparedStatements} */
function preparedOf(db) {
  let prepared = preparedByDb.get(db);
  if (!prepared) preparedByDb.set(db, (prepared = { names: new Map(), next: 1 }));
  return prepared;
}

/**
 * The protocol messages of a batch. A statement already prepared is only bound; a new one is parsed
 * under a new name first (listed in `introduced`) while there is room, else sent unnamed.
 * @param {{ sql: string, params?: unknown[] }[]} statements
 * @param {PreparedStatements} [prepared]
 * @returns {{ message: Uint8Array, introduced: string[] }}
 */
export function batchMessage(statements, prepared = { names: new Map(), next: 1 }) {
  // Every parameter's text first: a value that cannot be sent (an invalid Date, say) must fail the
  // batch before any name is taken, or the name would stand for a statement Postgres never saw.
  const values = statements.map(({ params = [] }) => params.map(parameterText));
  const parts = [];
  const introduced = [];
  for (const [index, { sql }] of statements.entries()) {
    let name = prepared.names.get(sql);
    if (name === undefined && prepared.names.size < MAX_PREPARED) {
      name = `koto_${prepared.next++}`;
      prepared.names.set(sql, name);
      introduced.push(name);
      parts.push(serialize.parse({ name, text: sql }));
    } else if (name === undefined) {
      name = "";
      parts.push(serialize.parse({ text: sql }));
    }
    parts.push(serialize.bind({ statement: name, values: values[index] }), serialize.describe({ type: "P" }), serialize.execute({}));
  }
  parts.push(serialize.sync());
  return { message: Buffer.concat(parts), introduced };
}

/**
 * Runs `statements` in one transaction and returns each one's rows. Waits, like `query`, for any
 * transaction open on this PGlite (the worker's `begin` … `commit`) and any query in progress, so the
 * batch never lands inside someone else's transaction.
 * @param {import("@electric-sql/pglite").PGlite} db
 * @param {{ sql: string, params?: unknown[] }[]} statements
 * @returns {Promise<Record<string, unknown>[][]>}
 */
export function runBatch(db, statements) {
  if (statements.length === 0) return Promise.resolve([]);
  if (db.closed) return Promise.reject(new Error("PGlite is closed"));
  return db._runExclusiveTransaction(() => db.runExclusive(async () => {
    try {
      return await runPrepared(db, statements);
    } catch (error) {
      // A table changed under a prepared `SELECT *` (a migration, a test's new schema): Postgres refuses
      // the old statement rather than answer with other columns. Prepare everything again, once.
      if (!isStalePlan(error)) throw error;
      await forgetPrepared(db);
      return runPrepared(db, statements);
    }
  }));
}

/** @param {import("@electric-sql/pglite").PGlite} db @param {{ sql: string, params?: unknown[] }[]} statements */
async function runPrepared(db, statements) {
  const prepared = preparedOf(db);
  const { message, introduced } = batchMessage(statements, prepared);
  let messages;
  try {
    ({ messages } = await db.execProtocol(message));
  } catch (error) {
    if (introduced.length > 0) await forget(db, prepared, introduced);
    throw error;
  }
  const results = parse.parseResults(messages, db.parsers);
  if (results.length !== statements.length) throw new Error(`a batch of ${statements.length} statements answered ${results.length} results`);
  return results.map((result) => result.rows);
}

/** Postgres' "cached plan must not change result type" (feature_not_supported). */
const isStalePlan = (error) => error?.code === "0A000" && /cached plan/.test(String(error?.message));

/**
 * Drops every statement prepared on `db` (DEALLOCATE ALL) and forgets their names: for a database
 * whose schema is replaced, or after a stale plan. Call it where no other query can run in between.
 * @param {import("@electric-sql/pglite").PGlite} db
 */
export async function forgetPrepared(db) {
  preparedByDb.delete(db);
  await db.execProtocol(serialize.query("DEALLOCATE ALL"));
}

/**
 * After a failed batch some of the names it introduced may exist (parsed before the error) and some
 * not (skipped after it): close them all and forget them, so the next use parses again.
 * @param {import("@electric-sql/pglite").PGlite} db @param {PreparedStatements} prepared @param {string[]} names
 */
async function forget(db, prepared, names) {
  const gone = new Set(names);
  for (const [sql, name] of prepared.names) if (gone.has(name)) prepared.names.delete(sql);
  await db.execProtocol(Buffer.concat([...names.map((name) => serialize.close({ type: "S", name })), serialize.sync()]));
}
