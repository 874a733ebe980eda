import assert from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { MAX_PREPARED, batchMessage, forgetPrepared, parameterText, runBatch } from "../../server/store/pglite-batch.mjs";

describe("PGlite batch (one call into the WASM for several statements)", () => {
  let db: PGlite;

  before(async () => {
    db = await PGlite.create();
    await db.exec(`CREATE TABLE t (id INT PRIMARY KEY, label TEXT NOT NULL, done BOOLEAN, steps INT[], tags TEXT[],
      doc JSON, at TIMESTAMPTZ, bytes BYTEA)`);
  });
  after(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.exec("DELETE FROM t");
  });

  it("turns JavaScript values into the text Postgres reads", () => {
    assert.equal(parameterText(null), null);
    assert.equal(parameterText(undefined), null);
    assert.equal(parameterText(true), "t");
    assert.equal(parameterText(false), "f");
    assert.equal(parameterText(12.5), "12.5");
    assert.equal(parameterText(new Date("2026-12-03T10:00:00.000Z")), "2026-12-03T10:00:00.000Z");
    assert.equal(parameterText([1, 2]), '{"1","2"}');
    assert.equal(parameterText([]), "{}");
    assert.equal(parameterText(['a"b', null, "c,d"]), '{"a\\"b",null,"c,d"}');
    assert.equal(parameterText({ a: [1] }), '{"a":[1]}');
    assert.equal(parameterText(new Uint8Array([0, 255])), "\\x00ff");
  });

  it("stores every kind of parameter as PGlite's own query would, and gives each statement its rows", async () => {
    const row = {
      label: `quote ' double " backslash \\ 안녕하세요 😀`, done: true, steps: [1, 3, 5], tags: ["a,b", 'c"d', "", "NULL"],
      doc: { said: "안녕", n: 2 }, at: new Date("2026-12-03T10:00:00.000Z"), bytes: new Uint8Array([0, 1, 254, 255]),
    };
    const sql = "INSERT INTO t (id, label, done, steps, tags, doc, at, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    const params = (id: number) => [id, row.label, row.done, row.steps, row.tags, row.doc, row.at, row.bytes];
    const results = await runBatch(db, [
      { sql, params: params(1) },
      { sql: "UPDATE t SET done = $2, steps = $3 WHERE id = $1", params: [1, false, []] },
      { sql: "SELECT label, done, steps, tags, doc, at, bytes FROM t WHERE id = $1", params: [1] },
    ]);
    assert.deepEqual(results[0], [{ id: 1 }]);
    assert.deepEqual(results[1], []);
    await db.query(sql, params(2));
    const viaQuery = (await db.query("SELECT label, done, steps, tags, doc, at, bytes FROM t WHERE id = 2")).rows[0];
    assert.deepEqual(results[2], [{ ...(viaQuery as object), done: false, steps: [] }]);
    assert.deepEqual((viaQuery as { tags: string[] }).tags, row.tags);
  });

  it("commits all statements or none", async () => {
    await assert.rejects(runBatch(db, [
      { sql: "INSERT INTO t (id, label) VALUES ($1, $2)", params: [1, "first"] },
      { sql: "INSERT INTO t (id, label) VALUES ($1, $2)", params: [2, null] },
    ]), /null value in column "label"/);
    assert.deepEqual((await db.query("SELECT count(*)::int AS n FROM t")).rows, [{ n: 0 }]);
    // The database is usable afterwards (no transaction left open).
    await runBatch(db, [{ sql: "INSERT INTO t (id, label) VALUES ($1, $2)", params: [1, "again"] }]);
    assert.deepEqual((await db.query("SELECT label FROM t")).rows, [{ label: "again" }]);
  });

  it("waits for a transaction in progress instead of running inside it", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const begun = new Promise<void>((resolve) => (inside = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query("INSERT INTO t (id, label) VALUES (1, 'in the transaction')");
      inside();
      await held;
      throw new Error("rolled back");
    }).catch((error: Error) => error.message);
    await begun;
    const batch = runBatch(db, [{ sql: "INSERT INTO t (id, label) VALUES ($1, $2)", params: [2, "batch"] }, { sql: "SELECT id FROM t ORDER BY id" }]);
    let batchDone = false;
    void batch.then(() => (batchDone = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(batchDone, false, "the batch waits for the open transaction");
    release();
    assert.equal(await transaction, "rolled back");
    // Had it run inside the transaction, its row would have been rolled back with it.
    assert.deepEqual((await batch)[1], [{ id: 2 }]);
  });

  describe("prepared statements", () => {
    const prepared = async () =>
      (await db.query<{ statement: string }>("SELECT statement FROM pg_prepared_statements ORDER BY statement")).rows.map((row) => row.statement);
    beforeEach(async () => {
      await forgetPrepared(db);
    });

    it("parses each SQL text once and binds it again afterwards", async () => {
      const insert = "INSERT INTO t (id, label) VALUES ($1, $2)";
      for (let id = 1; id <= 3; id++) await runBatch(db, [{ sql: insert, params: [id, `row ${id}`] }]);
      await runBatch(db, [{ sql: insert, params: [4, "four"] }, { sql: "SELECT count(*)::int AS n FROM t" }]);
      assert.deepEqual(await prepared(), ["INSERT INTO t (id, label) VALUES ($1, $2)", "SELECT count(*)::int AS n FROM t"]);
      assert.deepEqual((await runBatch(db, [{ sql: "SELECT count(*)::int AS n FROM t" }]))[0], [{ n: 4 }]);
    });

    it("forgets what a failed batch introduced, so the same texts run again", async () => {
      const insert = "INSERT INTO t (id, label) VALUES ($1, $2)";
      const select = "SELECT label FROM t WHERE id = $1";
      await assert.rejects(runBatch(db, [{ sql: insert, params: [1, null] }, { sql: select, params: [1] }]), /null value/);
      assert.deepEqual(await prepared(), [], "the insert was parsed before the error; it is closed again");
      const [, rows] = await runBatch(db, [{ sql: insert, params: [1, "one"] }, { sql: select, params: [1] }]);
      assert.deepEqual(rows, [{ label: "one" }]);
    });

    it("takes no name for a statement whose parameters could not be sent, so the text runs later", async () => {
      const sql = "SELECT $1::timestamptz AS at";
      await assert.rejects(runBatch(db, [{ sql, params: [new Date(Number.NaN)] }]), RangeError);
      const [rows] = await runBatch(db, [{ sql, params: [new Date(0)] }]);
      assert.equal((rows[0].at as Date).toISOString(), "1970-01-01T00:00:00.000Z");
    });

    it("prepares again when a table changed under a prepared SELECT *", async () => {
      await db.exec("CREATE TABLE wide (id INT PRIMARY KEY)");
      await db.exec("INSERT INTO wide VALUES (1)");
      const all = "SELECT * FROM wide WHERE id = $1";
      assert.deepEqual((await runBatch(db, [{ sql: all, params: [1] }]))[0], [{ id: 1 }]);
      await db.exec("ALTER TABLE wide ADD COLUMN note TEXT DEFAULT 'added'");
      assert.deepEqual((await runBatch(db, [{ sql: all, params: [1] }]))[0], [{ id: 1, note: "added" }]);
      await db.exec("DROP TABLE wide");
    });

    it("keeps at most MAX_PREPARED texts and sends the rest unnamed", () => {
      const cache = { names: new Map<string, string>(), next: 1 };
      for (let index = 0; index < MAX_PREPARED; index++) batchMessage([{ sql: `SELECT ${index}` }], cache);
      const { introduced } = batchMessage([{ sql: "SELECT 'one more'" }], cache);
      assert.equal(cache.names.size, MAX_PREPARED);
      assert.deepEqual(introduced, []);
      assert.equal(batchMessage([{ sql: "SELECT 0" }], cache).introduced.length, 0, "a known text is only bound");
    });
  });
});
