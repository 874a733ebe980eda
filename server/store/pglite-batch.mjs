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

/** @param {{ sql: string, params?: unknown[] }[]} statements @returns {Uint8Array} */
export function batchMessage(statements) {
  const parts = [];
  for (const { sql, params = [] } of statements) {
    parts.push(serialize.parse({ text: sql }), serialize.bind({ values: params.map(parameterText) }), serialize.describe({ type: "P" }), serialize.execute({}));
  }
  parts.push(serialize.sync());
  const message = new Uint8Array(parts.reduce((length, part) => length + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.byteLength;
  }
  return message;
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
  const message = batchMessage(statements);
  return db._runExclusiveTransaction(() => db.runExclusive(async () => {
    const { messages } = await db.execProtocol(message);
    const results = parse.parseResults(messages, db.parsers);
    if (results.length !== statements.length) throw new Error(`a batch of ${statements.length} statements answered ${results.length} results`);
    return results.map((result) => result.rows);
  }));
}
