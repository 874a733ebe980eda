import assert from "node:assert/strict";
import { OpenLessons } from "../../rooms/lesson/open-lessons.ts";

describe("OpenLessons", () => {
  it("seats a learner in up to `max` lessons, refuses the next, and frees a seat on leaving", () => {
    const open = new OpenLessons(2);
    open.seat("mina", "r1");
    open.seat("mina", "r2");
    assert.throws(() => open.seat("mina", "r3"), { code: "TOO_MANY_LESSONS_OPEN" });
    assert.throws(() => open.assertRoomFor("mina"), { code: "TOO_MANY_LESSONS_OPEN" });
    // Taking the same seat again (a reconnection) is not another lesson; another learner has their own count.
    open.seat("mina", "r2");
    open.seat("budi", "r1");
    open.leave("mina", "r1");
    assert.equal(open.count("mina"), 1);
    open.seat("mina", "r3");
    open.leave("mina", "r2");
    open.leave("mina", "r3");
    open.leave("mina", "gone");
    assert.equal(open.count("mina"), 0);
  });
});
