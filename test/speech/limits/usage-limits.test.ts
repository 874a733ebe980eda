import assert from "node:assert/strict";
import { isKotoError } from "../../../server/errors.ts";
import {
  defaultSpeechLimits,
  formatWait,
  UsageLimitError,
  UsageLimiter,
  type SpeechLimits,
} from "../../../server/speech/limits/usage-limits.ts";

/** A clock the test moves by hand; starts at 10:00 UTC so a day has room either side. */
function fakeClock(start = Date.UTC(2026, 2, 10, 10, 0, 0)) {
  let time = start;
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
    set: (epochMs: number) => {
      time = epochMs;
    },
  };
}

function limiter(overrides: Partial<SpeechLimits> = {}, clock = fakeClock()) {
  return { limiter: new UsageLimiter({ ...defaultSpeechLimits, ...overrides }, clock.now), clock };
}

function refusal(action: () => unknown, code: string): UsageLimitError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof UsageLimitError, `expected ${code}, got ${String(caught)}`);
  assert.ok(isKotoError(caught));
  assert.equal(caught.code, code);
  return caught;
}

describe("UsageLimiter", () => {
  it("starts from the documented defaults", () => {
    assert.deepEqual(defaultSpeechLimits, {
      maxFrameBytes: 16_384,
      maxUtteranceMs: 30_000,
      maxBytesPerSecondPerClient: 32_000,
      maxConcurrentUtterances: 200,
      maxUtterancesPerMinute: 20,
      maxAudioSecondsPerLearnerPerDay: 1800,
      maxAudioSecondsPerDay: 200_000,
    });
    assert.ok(Object.isFrozen(defaultSpeechLimits));
  });

  it("refuses limits that are not positive numbers", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => new UsageLimiter({ ...defaultSpeechLimits, maxUtterancesPerMinute: bad }),
        (error: unknown) => isKotoError(error) && error.code === "CONFIG_INVALID" && /maxUtterancesPerMinute/.test(error.message),
      );
    }
  });

  describe("concurrent utterances", () => {
    it("admits exactly the limit, then reports SPEECH_BUSY until a slot is released", () => {
      const { limiter: limits } = limiter({ maxConcurrentUtterances: 3 });
      const releases = ["a", "b", "c"].map((learner) => limits.admitUtterance(learner));
      assert.equal(limits.stats().activeUtterances, 3);
      const busy = refusal(() => limits.admitUtterance("d"), "SPEECH_BUSY");
      assert.equal(busy.status, 503);
      assert.match(busy.detail, /try again in a few seconds/);
      assert.ok(busy.retryAfterMs > 0);

      releases[1]!();
      assert.equal(limits.stats().activeUtterances, 2);
      limits.admitUtterance("d");
      refusal(() => limits.admitUtterance("e"), "SPEECH_BUSY");
    });

    it("treats a second release of the same slot as harmless", () => {
      const { limiter: limits } = limiter({ maxConcurrentUtterances: 2 });
      const first = limits.admitUtterance("a");
      limits.admitUtterance("b");
      first();
      first();
      first();
      assert.equal(limits.stats().activeUtterances, 1);
      limits.admitUtterance("c");
      // Had the double release freed a second slot, this would be admitted.
      refusal(() => limits.admitUtterance("d"), "SPEECH_BUSY");
    });

    it("lets a learner speak one answer at a time, across all their sessions", () => {
      const { limiter: limits } = limiter({ maxConcurrentUtterances: 5 });
      const release = limits.admitUtterance("a");
      assert.throws(() => limits.admitUtterance("a"), (error) => isKotoError(error) && error.code === "UTTERANCE_ALREADY_OPEN" && error.status === 409);
      limits.admitUtterance("b");
      release();
      limits.admitUtterance("a")();
    });
  });

  describe("utterances per minute", () => {
    it("admits exactly the limit per learner within a minute and names the wait", () => {
      const { limiter: limits, clock } = limiter({ maxUtterancesPerMinute: 20 });
      for (let index = 0; index < 20; index++) {
        limits.admitUtterance("minji")();
        clock.advance(1000);
      }
      // 20 starts at t = 0 s .. 19 s; now t = 20 s, so the oldest leaves the window in 40 s.
      const limited = refusal(() => limits.admitUtterance("minji"), "SPEECH_RATE_LIMITED");
      assert.equal(limited.status, 429);
      assert.equal(limited.retryAfterMs, 40_000);
      assert.match(limited.detail, /at most 20 spoken answers a minute; try again in 40 seconds/);
      // Another learner is not affected.
      limits.admitUtterance("junho")();
    });

    it("slides: the oldest start frees its place exactly 60 s after it was admitted", () => {
      const { limiter: limits, clock } = limiter({ maxUtterancesPerMinute: 3 });
      limits.admitUtterance("minji")(); // t = 0
      clock.advance(10_000);
      limits.admitUtterance("minji")(); // t = 10 s
      limits.admitUtterance("minji")(); // t = 10 s
      clock.advance(49_999); // t = 59.999 s
      assert.equal(refusal(() => limits.admitUtterance("minji"), "SPEECH_RATE_LIMITED").retryAfterMs, 1);
      clock.advance(1); // t = 60 s: the first start has left the window
      limits.admitUtterance("minji")();
      refusal(() => limits.admitUtterance("minji"), "SPEECH_RATE_LIMITED");
      clock.advance(10_000); // t = 70 s: both starts at 10 s have left
      limits.admitUtterance("minji")();
      limits.admitUtterance("minji")();
      refusal(() => limits.admitUtterance("minji"), "SPEECH_RATE_LIMITED");
    });

    it("does not count refused attempts against the learner", () => {
      const { limiter: limits, clock } = limiter({ maxUtterancesPerMinute: 1, maxConcurrentUtterances: 1 });
      const hold = limits.admitUtterance("other");
      clock.advance(61_000);
      refusal(() => limits.admitUtterance("minji"), "SPEECH_BUSY");
      hold();
      limits.admitUtterance("minji")();
    });
  });

  describe("daily audio per learner", () => {
    it("refuses once the learner's seconds reach the limit, until the next UTC day", () => {
      const clock = fakeClock(Date.UTC(2026, 2, 10, 18, 30, 0));
      const { limiter: limits } = limiter({ maxAudioSecondsPerLearnerPerDay: 1800 }, clock);
      limits.admitUtterance("minji")();
      limits.recordAudioSeconds("minji", 1799.5);
      limits.admitUtterance("minji")();
      limits.recordAudioSeconds("minji", 0.5);

      const daily = refusal(() => limits.admitUtterance("minji"), "SPEECH_DAILY_LIMIT");
      assert.equal(daily.status, 429);
      assert.equal(daily.retryAfterMs, 5.5 * 3600_000);
      assert.match(daily.detail, /today's 30 min of speaking practice; it resets at 00:00 UTC \(in 5 h 30 min\)/);
      assert.match(daily.detail, /typed answers still work/);
      limits.admitUtterance("junho")();

      clock.set(Date.UTC(2026, 2, 10, 23, 59, 59, 999));
      refusal(() => limits.admitUtterance("minji"), "SPEECH_DAILY_LIMIT");
      clock.set(Date.UTC(2026, 2, 11, 0, 0, 0, 0));
      limits.admitUtterance("minji")();
      assert.deepEqual(limits.stats(), { activeUtterances: 0, audioSecondsToday: 0, learnersToday: 1 });
    });
  });

  describe("global daily budget", () => {
    it("refuses everyone once the day's seconds reach the budget, and resets at UTC midnight", () => {
      const clock = fakeClock(Date.UTC(2026, 2, 10, 23, 0, 0));
      const { limiter: limits } = limiter({ maxAudioSecondsPerDay: 100 }, clock);
      limits.recordAudioSeconds("minji", 60);
      limits.recordAudioSeconds("junho", 39.75);
      limits.admitUtterance("seoyeon")();
      limits.recordAudioSeconds("seoyeon", 0.25);

      for (const learner of ["minji", "junho", "someone-new"]) {
        const exhausted = refusal(() => limits.admitUtterance(learner), "SPEECH_BUDGET_EXHAUSTED");
        assert.equal(exhausted.status, 503);
        assert.equal(exhausted.retryAfterMs, 3600_000);
        assert.match(exhausted.detail, /00:00 UTC \(in 1 h\)/);
      }
      assert.deepEqual(limits.stats(), { activeUtterances: 0, audioSecondsToday: 100, learnersToday: 3 });

      clock.set(Date.UTC(2026, 2, 11, 0, 0, 0));
      limits.admitUtterance("someone-new")();
      assert.deepEqual(limits.stats(), { activeUtterances: 0, audioSecondsToday: 0, learnersToday: 1 });
    });

    it("reports the budget before the learner's own limits, the longer wait first", () => {
      const { limiter: limits } = limiter({ maxAudioSecondsPerDay: 10, maxAudioSecondsPerLearnerPerDay: 5, maxUtterancesPerMinute: 1 });
      limits.admitUtterance("minji")();
      limits.recordAudioSeconds("minji", 10);
      refusal(() => limits.admitUtterance("minji"), "SPEECH_BUDGET_EXHAUSTED");
    });

    it("keeps concurrency slots across midnight", () => {
      const clock = fakeClock(Date.UTC(2026, 2, 10, 23, 59, 59));
      const { limiter: limits } = limiter({ maxConcurrentUtterances: 1 }, clock);
      const release = limits.admitUtterance("minji");
      clock.advance(2000);
      refusal(() => limits.admitUtterance("junho"), "SPEECH_BUSY");
      release();
      limits.admitUtterance("junho");
    });

    it("refuses audio seconds that are negative or not a number", () => {
      const { limiter: limits } = limiter();
      assert.throws(() => limits.recordAudioSeconds("minji", -1), RangeError);
      assert.throws(() => limits.recordAudioSeconds("minji", Number.NaN), RangeError);
      assert.equal(limits.stats().audioSecondsToday, 0);
    });
  });

  describe("bytes per second per client", () => {
    it("lets a burst of 1.5 s pass, refuses the next byte, and refills at the sustained rate", () => {
      const { limiter: limits, clock } = limiter({ maxBytesPerSecondPerClient: 32_000 });
      for (let frame = 0; frame < 75; frame++) limits.admitBytes("client-1", 640); // 48,000 bytes at once
      const flooded = refusal(() => limits.admitBytes("client-1", 1), "AUDIO_RATE_EXCEEDED");
      assert.equal(flooded.status, 429);
      assert.equal(flooded.retryAfterMs, 1);
      assert.match(flooded.detail, /at most 32000 bytes a second/);

      clock.advance(1); // 32 bytes refilled
      limits.admitBytes("client-1", 32);
      refusal(() => limits.admitBytes("client-1", 1), "AUDIO_RATE_EXCEEDED");
      clock.advance(20);
      limits.admitBytes("client-1", 640);
    });

    it("sustains real-time 16 kHz PCM16 (640 bytes every 20 ms) indefinitely", () => {
      const { limiter: limits, clock } = limiter();
      for (let frame = 0; frame < 5 * 60 * 50; frame++) {
        limits.admitBytes("client-1", 640);
        clock.advance(20);
      }
    });

    it("refuses a sustained stream just faster than real time once the burst is spent", () => {
      const { limiter: limits, clock } = limiter({ maxBytesPerSecondPerClient: 32_000 });
      // 700 bytes every 20 ms is 35,000 B/s: 640 bytes refill per frame, so the bucket drains 60 bytes
      // a frame from 48,000. Before frame k + 1 it holds 48,000 - 60k, which is below 700 from k = 789.
      let admitted = 0;
      let refused: unknown;
      for (let frame = 0; frame < 2000 && refused === undefined; frame++) {
        try {
          limits.admitBytes("client-1", 700);
          admitted += 1;
          clock.advance(20);
        } catch (error) {
          refused = error;
        }
      }
      assert.ok(isKotoError(refused) && refused.code === "AUDIO_RATE_EXCEEDED", `refused with ${String(refused)}`);
      assert.equal(admitted, 789);
    });

    it("never lets one client's flood touch another client's bucket", () => {
      const { limiter: limits } = limiter({ maxBytesPerSecondPerClient: 1000 });
      limits.admitBytes("flooder", 1500);
      for (let attempt = 0; attempt < 100; attempt++) {
        refusal(() => limits.admitBytes("flooder", 100), "AUDIO_RATE_EXCEEDED");
      }
      limits.admitBytes("neighbour", 1500);
      refusal(() => limits.admitBytes("neighbour", 1), "AUDIO_RATE_EXCEEDED");
    });

    it("refuses a frame larger than the whole burst without promising it will ever fit", () => {
      const { limiter: limits } = limiter({ maxBytesPerSecondPerClient: 1000 });
      const tooLarge = refusal(() => limits.admitBytes("client-1", 1501), "AUDIO_RATE_EXCEEDED");
      assert.doesNotMatch(tooLarge.detail, /fits again/);
      limits.admitBytes("client-1", 1500);
    });

    it("gives a forgotten client a fresh bucket", () => {
      const { limiter: limits } = limiter({ maxBytesPerSecondPerClient: 1000 });
      limits.admitBytes("client-1", 1500);
      refusal(() => limits.admitBytes("client-1", 1), "AUDIO_RATE_EXCEEDED");
      limits.forgetClient("client-1");
      limits.admitBytes("client-1", 1500);
    });
  });

  describe("audio time per client", () => {
    it("lets 10 s of audio in at once, then at most twice real time, whatever its bytes", () => {
      const { limiter: limits, clock } = limiter();
      const admitFrame = (clientId: string, audioMs: number) => {
        limits.admitBytes(clientId, 19);
        limits.admitAudio(clientId, audioMs);
      };
      // 30 s of compact Opus (20 ms packets of 15 bytes: ~22 KB) fits the byte budget but not the audio budget.
      let admitted = 0;
      let refused: unknown;
      for (let frame = 0; frame < 1500 && refused === undefined; frame++) {
        try {
          admitFrame("client-1", 20);
          admitted += 1;
        } catch (error) {
          refused = error;
        }
      }
      assert.equal(admitted, 500, "10 s at once");
      assert.ok(isKotoError(refused) && refused.code === "AUDIO_RATE_EXCEEDED");
      assert.match(refused.detail, /faster than it can be spoken/);
      assert.equal((refused as unknown as { retryAfterMs: number }).retryAfterMs, 10);
      clock.advance(10); // 20 ms of audio refilled in 10 ms
      admitFrame("client-1", 20);
      refusal(() => admitFrame("client-1", 20), "AUDIO_RATE_EXCEEDED");
      // Real-time speech never runs out, and another connection has its own budget.
      for (let frame = 0; frame < 3000; frame++) {
        clock.advance(20);
        admitFrame("client-1", 20);
      }
      admitFrame("client-2", 10_000);
      limits.forgetClient("client-1");
      admitFrame("client-1", 10_000);
    });
  });

  describe("memory", () => {
    it("drops idle client buckets and empty minute windows", () => {
      const { limiter: limits, clock } = limiter();
      for (let index = 0; index < 1000; index++) {
        limits.admitBytes(`client-${index}`, 640);
        limits.admitUtterance(`learner-${index}`)();
      }
      assert.deepEqual(limits.trackedEntries(), { clientBuckets: 1000, minuteWindows: 1000, minuteStarts: 1000 });

      clock.advance(30_000); // buckets are full again; minute windows still hold their starts
      limits.admitBytes("client-live", 640);
      assert.deepEqual(limits.trackedEntries(), { clientBuckets: 1, minuteWindows: 1000, minuteStarts: 1000 });

      clock.advance(30_000); // every start is a minute old
      limits.stats();
      assert.deepEqual(limits.trackedEntries(), { clientBuckets: 0, minuteWindows: 0, minuteStarts: 0 });
    });

    it("keeps a learner's minute window no longer than the per-minute limit", () => {
      const { limiter: limits } = limiter({ maxUtterancesPerMinute: 5 });
      for (let attempt = 0; attempt < 1000; attempt++) {
        try {
          limits.admitUtterance("minji")();
        } catch (error) {
          assert.ok(isKotoError(error) && error.code === "SPEECH_RATE_LIMITED");
        }
      }
      assert.deepEqual(limits.trackedEntries(), { clientBuckets: 0, minuteWindows: 1, minuteStarts: 5 });
    });
  });

  it("formats waits for people", () => {
    const table: [number, string][] = [
      [1, "1 second"],
      [999, "1 second"],
      [40_000, "40 seconds"],
      [60_000, "1 min"],
      [61_000, "2 min"],
      [3600_000, "1 h"],
      [5.5 * 3600_000, "5 h 30 min"],
    ];
    for (const [ms, text] of table) assert.equal(formatWait(ms), text, `${ms} ms`);
  });
  it("refuses a byte count that is not a real size instead of poisoning the bucket", () => {
    const { limiter: limits } = limiter();
    for (const bad of [Number.NaN, -1, 1.5, "x" as unknown as number, Infinity]) {
      assert.throws(() => limits.admitBytes("c1", bad), /AUDIO_FRAME_INVALID/);
    }
    limits.admitBytes("c1", 1000);
  });
});
