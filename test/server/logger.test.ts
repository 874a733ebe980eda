import assert from "node:assert/strict";
import { Writable } from "node:stream";
import pino from "pino";
import { colyseusLogger } from "../../server/logger.ts";

describe("the logger handed to Colyseus", () => {
  it("keeps a flood of errors to a few lines a window and says how many it left out", () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done(); } });
    let now = 1_000;
    const logger = colyseusLogger(pino({ level: "info" }, sink), { perWindow: 3, windowMs: 10_000, now: () => now });
    for (let i = 0; i < 50; i++) logger.error(`Error: could not decode ${i}\n    at stack`);
    logger.info("still logs other levels");
    assert.deepEqual(lines.map((line) => line.msg), [
      "Error: could not decode 0\n    at stack", "Error: could not decode 1\n    at stack", "Error: could not decode 2\n    at stack",
      "still logs other levels",
    ]);
    now += 10_000;
    logger.error("Error: later");
    assert.equal(lines[4].msg, "Colyseus errors not logged (too many in a short while)");
    assert.equal(lines[4].suppressed, 47);
    assert.equal(lines[4].component, "colyseus");
    assert.equal(lines[5].msg, "Error: later");
  });
});
