/**
 * Node flags every KOTO Live server process starts with (`npm start`, PM2's ecosystem.config.js,
 * the bench's server children; test/server/start.test.ts checks that they agree). Flags that V8
 * reads only when it creates the heap cannot be set from inside the process.
 *
 * `--max-semi-space-size=16`: Node 24 lets V8's young generation grow to 64 MB a semi-space on a
 * machine with this much memory. Start-up (content, migrations, compiling the sources) grew it to
 * the maximum, and V8 keeps the pages it gave back counted in the resident set: idle RSS was ~50 MB
 * higher than with 16 MB, V8's default up to Node 20 (docs/capacity.md §4.10).
 *
 * `--expose-gc`: once start-up is done, the server runs one collection that gives the rest of
 * start-up's memory back (releaseStartUpMemory in server/gc-tuning.ts; ~40 MB of idle RSS, §4.13).
 * Nothing else calls it.
 *
 * `--liftoff-only`: WebAssembly runs on V8's baseline compiler only, never tiered up to TurboFan.
 * PGlite is Postgres compiled to ~9 MB of WASM; with V8's default dynamic tiering, start-up and the
 * first minutes of queries compile its hot functions again with TurboFan on helper threads, and that
 * compiler's code and zones stayed resident: the idle server held 260–306 MB, 212–214 MB with this
 * flag, and ~40 MB less under load. Its cost was not measurable at lesson load (server CPU at 150 and
 * 250 sessions with 6 s answers, three alternating pairs: 58–64 / 83–98 % against 58–71 / 83–91 %);
 * the database thread's statements measured alone cost the same or less (TurboFan's compiling is
 * itself CPU); eSpeak's model-audio synthesis is ~10 % slower; the audio stages (VAD, Opus) the same
 * (docs/capacity.md §4.14). V8 lists the flag "for testing"; Node is pinned (the `node` package).
 *
 * Plain JavaScript: PM2 loads the ecosystem file (and so this one) without the TypeScript loader.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=16", "--expose-gc", "--liftoff-only"];

/**
 * Environment every server process starts with (it must be set before the process starts; the same
 * places as the flags). `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates its own malloc
 * arena (up to 8 per core), and the server has a dozen threads (the database thread, libuv's pool,
 * V8's helpers); their half-empty arenas held ~20–30 MB of idle RSS. Two arenas: 250–254 MB instead of
 * 269–282 MB at rest (docs/capacity.md §4.13).
 */
export const SERVER_ENV = { MALLOC_ARENA_MAX: "2" };
