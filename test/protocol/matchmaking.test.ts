import assert from "node:assert/strict";
import { fromMatchmakingError, toMatchmakingError } from "../../protocol/matchmaking.ts";

describe("matchmaking refusals", () => {
  it("travel as an HTTP status and \"CODE: sentence\", and come back as the code", () => {
    const wire = toMatchmakingError("ROOM_FULL", "this session already has 2 learner(s)", 409);
    assert.deepEqual(wire, { code: 409, message: "ROOM_FULL: this session already has 2 learner(s)" });
    assert.deepEqual(fromMatchmakingError(wire), { code: "ROOM_FULL", sentence: "this session already has 2 learner(s)", status: 409 });
  });

  it("keep a sentence that itself contains a colon", () => {
    const wire = toMatchmakingError("ROOM_OPTIONS_INVALID", "lessonId: lessonId is required", 400);
    assert.equal(fromMatchmakingError(wire).sentence, "lessonId: lessonId is required");
  });

  it("use a valid HTTP status even when the error has none", () => {
    assert.equal(toMatchmakingError("INTERNAL", "the server could not complete the request", 0).code, 500);
    assert.equal(toMatchmakingError("INTERNAL", "x", 200).code, 500);
  });

  it("do not take anything that merely looks like a code for one of ours", () => {
    assert.equal(fromMatchmakingError({ code: 4212, message: "seat reservation expired." }).code, "MATCHMAKING_FAILED");
    assert.equal(fromMatchmakingError({ code: 500, message: "NOT_OURS: something" }).code, "MATCHMAKING_FAILED");
    assert.equal(fromMatchmakingError({ code: 500, message: "ROOM_FULL" }).code, "MATCHMAKING_FAILED");
    assert.equal(fromMatchmakingError(undefined).code, "MATCHMAKING_FAILED");
  });
});
