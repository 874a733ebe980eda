import assert from "node:assert/strict";
import { KotoError } from "../../server/errors.ts";
import { whileStoreDown } from "../../server/store/store-retry.ts";
import { freePort } from "../support/processes.ts";

const down = () => new KotoError("STORE_UNAVAILABLE", "the lesson database is not answering right now", 503);

describe("whileStoreDown", () => {
  it("tries a write again while the store is unavailable, then returns its result", async () => {
    let tries = 0;
    const retries: number[] = [];
    const result = await whileStoreDown(async () => {
      tries += 1;
      if (tries < 3) throw down();
      return "stored";
    }, { firstDelayMs: 1, onRetry: (_error, attempt) => retries.push(attempt) });
    assert.equal(result, "stored");
    assert.equal(tries, 3);
    assert.deepEqual(retries, [1, 2]);
  });

  it("does not retry other errors", async () => {
    let tries = 0;
    await assert.rejects(whileStoreDown(async () => {
      tries += 1;
      throw new KotoError("ATTEMPT_TRANSITION_INVALID", "no", 409);
    }, { firstDelayMs: 1 }), /ATTEMPT_TRANSITION_INVALID/);
    assert.equal(tries, 1);
  });

  it("stops retrying once its signal is aborted, even in the middle of a back-off", async () => {
    const giveUp = new AbortController();
    let tries = 0;
    const writing = whileStoreDown(async () => {
      tries += 1;
      throw down();
    }, { firstDelayMs: 60_000, signal: giveUp.signal });
    await new Promise((resolve) => setImmediate(resolve));
    giveUp.abort();
    await assert.rejects(writing, /STORE_UNAVAILABLE/);
    assert.equal(tries, 1);
  });

  it("tries once and fails when the signal was aborted before", async () => {
    let tries = 0;
    await assert.rejects(whileStoreDown(async () => {
      tries += 1;
      throw down();
    }, { firstDelayMs: 1, signal: AbortSignal.abort() }), /STORE_UNAVAILABLE/);
    assert.equal(tries, 1);
  });
});

describe("STORE_UNAVAILABLE from the Postgres driver", () => {
  it("keeps what the driver said for the log, and sends the client only the code and the sentence", async () => {
    const { openPostgres } = await import("../../server/store/sql-database.ts");
    // A port nobody listens on: taken, then given back.
    const closed = await freePort();
    const error = await openPostgres(`postgres://postgres@127.0.0.1:${closed}/koto`, { queryMs: 1000, connectMs: 1000 })
      .then(() => null, (caught: unknown) => caught);
    assert.ok(error instanceof KotoError);
    assert.equal(error.code, "STORE_UNAVAILABLE");
    assert.equal((error.cause as NodeJS.ErrnoException | undefined)?.code, "ECONNREFUSED");
    assert.deepEqual(Object.keys(error.toWire()).sort(), ["code", "message"]);
    assert.doesNotMatch(JSON.stringify(error.toWire()), /ECONNREFUSED|127\.0\.0\.1/);
  });
});
