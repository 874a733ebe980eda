/**
 * Node flags every KOTO Live server process starts with (`npm start`, PM2's ecosystem.config.js,
 * the bench's server children; test/server/start.test.ts checks that they agree). Flags that V8
 * reads only when it creates the heap cannot be set from inside the process.
 *
 * `--max-semi-space-size=16`: Node 24 lets V8's young generation grow to 64 MB a semi-space on a
 * machine with this much memory. Start-up (content, migrations, compiling the sources) grew it to
 * the maximum, and V8 keeps the pages it gave back counted in the resident set: idle RSS was ~50 MB
 * higher than with 16 MB, V8's default up to Node 20 (docs/capacity.md §4.10). Plain JavaScript:
 * PM2 loads the ecosystem file (and so this one) without the TypeScript loader.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=16"];
