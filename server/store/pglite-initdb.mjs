/**
 * Initialises a new PGlite data directory in a process of its own, then exits: `node
 * pglite-initdb.mjs <dataDir>`. initdb runs in a WASM instance of ~400 MB; run on a thread of the
 * server, much of that stayed in the server's resident set after the thread ended (measured: idle RSS
 * after a first start 525–560 MB, after a restart ~370 MB). A process gives all of it back when it
 * exits (first start now ~394 MB).
 * Plain JavaScript so that it starts under bare Node, without the server's TypeScript loader.
 */
import { inspect } from "node:util";
import { PGlite } from "@electric-sql/pglite";

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write("usage: pglite-initdb.mjs <data directory>\n");
  process.exit(2);
}
try {
  const db = await PGlite.create({ dataDir });
  await db.close();
} catch (error) {
  // PGlite rejects with plain objects too (an Emscripten exit status): shown whole, not as [object Object].
  process.stderr.write(`${error instanceof Error ? error.message : inspect(error, { depth: 3, breakLength: Infinity })}\n`);
  process.exit(1);
}
