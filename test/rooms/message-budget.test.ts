import assert from "node:assert/strict";
import { MessageBudget } from "../../rooms/lesson/message-budget.ts";
import { UsageLimitError } from "../../server/speech/limits/usage-limits.ts";

function refusal(action: () => void): UsageLimitError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof UsageLimitError);
    assert.equal(error.code, "RATE_LIMITED");
    return error;
  }
  assert.fail("expected RATE_LIMITED");
}

describe("MessageBudget", () => {
  it("lets a burst through, then one message per refill, and says when to try again", () => {
    let now = 0;
    const budget = new MessageBudget({ burst: 3, perSecond: 2, typedAnswersPerMinute: 100 }, () => now);
    for (let i = 0; i < 3; i++) budget.admitMessage("c1");
    assert.equal(refusal(() => budget.admitMessage("c1")).retryAfterMs, 500);
    // Another connection has its own budget.
    budget.admitMessage("c2");
    now = 499;
    refusal(() => budget.admitMessage("c1"));
    now = 500;
    budget.admitMessage("c1");
    refusal(() => budget.admitMessage("c1"));
    // A long pause refills up to the burst, not beyond.
    now = 60_000;
    for (let i = 0; i < 3; i++) budget.admitMessage("c1");
    refusal(() => budget.admitMessage("c1"));
  });

  it("counts a learner's typed answers over the last minute, across connections", () => {
    let now = 1000;
    const budget = new MessageBudget({ burst: 100, perSecond: 100, typedAnswersPerMinute: 2 }, () => now);
    budget.admitTypedAnswer("mina");
    now = 21_000;
    budget.admitTypedAnswer("mina");
    assert.equal(refusal(() => budget.admitTypedAnswer("mina")).retryAfterMs, 40_000);
    budget.admitTypedAnswer("budi");
    budget.forget("mina's tab");
    now = 61_000;
    budget.admitTypedAnswer("mina");
    refusal(() => budget.admitTypedAnswer("mina"));
  });

  it("starts a forgotten connection afresh", () => {
    const budget = new MessageBudget({ burst: 1, perSecond: 1, typedAnswersPerMinute: 1 }, () => 0);
    budget.admitMessage("c1");
    refusal(() => budget.admitMessage("c1"));
    budget.forget("c1");
    budget.admitMessage("c1");
  });
});
