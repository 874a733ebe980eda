import assert from "node:assert/strict";
import { KotoError } from "../../server/errors.ts";
import { callRoom, outcomeOf } from "../../server/cluster/remote-outcome.ts";

/** What Colyseus' remote room call does to an answer: it travels as JSON over Redis. */
const overRedis = (answer: unknown) => async () => JSON.parse(JSON.stringify(answer));

describe("Calls into a room on another process", () => {
  it("bring the room's value back", async () => {
    const answer = await outcomeOf(async () => ({ status: "scored" }));
    assert.deepEqual(await callRoom("room", "method", [], 1000, overRedis(answer)), { status: "scored" });
  });

  const errors = [
    new KotoError("RECORDING_NOT_FOUND", "this attempt has no stored recording", 404),
    new KotoError("ATTEMPT_BUSY", "this attempt is still being recorded or evaluated; wait for its result", 409),
    new KotoError("ROLE_FORBIDDEN", "only a tutor may do that", 403),
    new KotoError("STORE_UNAVAILABLE", "the lesson database is not answering right now; try again in a moment", 503),
  ];
  for (const thrown of errors) {
    it(`bring the room's ${thrown.code} back with its status and sentence, as a local call would throw it`, async () => {
      const answer = await outcomeOf(async () => { throw thrown; });
      await assert.rejects(callRoom("room", "method", [], 1000, overRedis(answer)), (error: unknown) => {
        assert.ok(error instanceof KotoError);
        assert.deepEqual([error.code, error.status, error.message], [thrown.code, thrown.status, thrown.message]);
        return true;
      });
    });
  }

  it("turn an unexpected error into INTERNAL (500) and report it on the room's side only", async () => {
    const reported: unknown[] = [];
    const answer = await outcomeOf(async () => { throw new TypeError("secret detail"); }, (error) => reported.push(error));
    await assert.rejects(callRoom("room", "method", [], 1000, overRedis(answer)), (error: unknown) => {
      assert.ok(error instanceof KotoError);
      assert.equal(error.code, "INTERNAL");
      assert.equal(error.status, 500);
      assert.doesNotMatch(error.message, /secret detail/);
      return true;
    });
    assert.equal(reported.length, 1);
  });

  it("answer SESSION_UNREACHABLE (504) when the room's process does not answer", async () => {
    const silent = async () => { throw new Error("remote room (abc) timed out"); };
    await assert.rejects(callRoom("abc", "method", [], 60_000, silent), (error: unknown) => {
      assert.ok(error instanceof KotoError);
      assert.equal(error.code, "SESSION_UNREACHABLE");
      assert.equal(error.status, 504);
      assert.match(error.message, /"abc" did not answer within 60 s/);
      return true;
    });
  });
});
