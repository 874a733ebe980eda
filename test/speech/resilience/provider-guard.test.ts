import assert from "node:assert/strict";
import { KotoError } from "../../../server/errors.ts";
import { ProviderError, providerFailure } from "../../../server/speech/resilience/provider-error.ts";
import { createProviderGuard, type ProviderGuardOptions } from "../../../server/speech/resilience/provider-guard.ts";

const STT = { prefix: "STT", service: "Speech recognition" };

function guardOptions(overrides: Partial<ProviderGuardOptions> = {}): ProviderGuardOptions {
  return {
    name: "stt-test",
    service: "Speech recognition",
    timeoutMs: 1000,
    maxAttempts: 3,
    baseDelayMs: 10,
    maxDelayMs: 50,
    concurrency: 4,
    queueLimit: 4,
    breaker: { failureThreshold: 100, halfOpenAfterMs: 1000 },
    ...overrides,
  };
}

const outage = () => providerFailure(STT, "unavailable", "fake");
const rejection = () => providerFailure(STT, "rejected", "fake", { providerMessage: "audio too short" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function failureOf(promise: Promise<unknown>): Promise<KotoError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof KotoError, `expected a KotoError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe("createProviderGuard", () => {
  it("returns the call's value and counts it", async () => {
    const guard = createProviderGuard(guardOptions());
    assert.equal(await guard.run(async () => "저는"), "저는");
    const stats = guard.stats();
    assert.equal(stats.calls, 1);
    assert.equal(stats.attempts, 1);
    assert.equal(stats.failures, 0);
    assert.equal(stats.breakerState, "closed");
    assert.equal(stats.inFlight, 0);
  });

  describe("timeout", () => {
    it("gives up on an attempt after timeoutMs with PROVIDER_TIMEOUT and aborts its signal", async () => {
      const guard = createProviderGuard(guardOptions({ timeoutMs: 80, maxAttempts: 1 }));
      let seen: AbortSignal | undefined;
      const started = performance.now();
      // The call ignores its signal: the guard must not wait for it anyway.
      const error = await failureOf(
        guard.run((signal) => {
          seen = signal;
          return new Promise<never>(() => {});
        }),
      );
      const elapsed = performance.now() - started;
      assert.equal(error.code, "PROVIDER_TIMEOUT");
      assert.ok(error instanceof ProviderError && error.retryable);
      assert.match(error.detail, /^Speech recognition took too long/);
      assert.ok(seen?.aborted, "the attempt's signal was aborted");
      // Timers never fire early, so the lower bound holds on a busy machine; the call never settles,
      // so getting here at all shows the guard did not wait for it.
      assert.ok(elapsed >= 75, `gave up after ${elapsed} ms`);
      assert.equal(guard.stats().timeouts, 1);
    });

    it("gives each retry a fresh deadline", async () => {
      const guard = createProviderGuard(guardOptions({ timeoutMs: 60, maxAttempts: 3 }));
      let attempts = 0;
      const value = await guard.run(async (signal) => {
        attempts++;
        if (attempts < 3) return new Promise<never>(() => {});
        await sleep(40); // under the deadline of this attempt, over what is left of the first
        assert.equal(signal.aborted, false);
        return "done";
      });
      assert.equal(value, "done");
      assert.equal(attempts, 3);
      assert.equal(guard.stats().timeouts, 2);
    });
  });

  describe("retry", () => {
    it("tries a retryable failure at most maxAttempts times, backing off exponentially", async () => {
      const guard = createProviderGuard(guardOptions({ maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 1000 }));
      const times: number[] = [];
      const error = await failureOf(
        guard.run(async () => {
          times.push(performance.now());
          throw outage();
        }),
      );
      assert.equal(error.code, "STT_UNAVAILABLE");
      assert.equal(times.length, 3);
      const stats = guard.stats();
      // Half jitter: retry n waits between half and all of baseDelay * 2^(n-1). The planned delays are
      // checked exactly; the measured gaps only from below (a busy machine can only make them longer).
      const [firstPlanned, secondPlanned] = stats.recentRetryDelaysMs;
      assert.ok(firstPlanned >= 20 && firstPlanned <= 40, `first back-off planned ${firstPlanned} ms`);
      assert.ok(secondPlanned >= 40 && secondPlanned <= 80, `second back-off planned ${secondPlanned} ms`);
      const [first, second] = [times[1]! - times[0]!, times[2]! - times[1]!];
      assert.ok(first >= firstPlanned - 1, `first back-off ${first} ms`);
      assert.ok(second >= secondPlanned - 1, `second back-off ${second} ms`);
      assert.equal(stats.retries, 2);
      assert.equal(stats.attempts, 3);
      assert.equal(stats.failures, 1);
    });

    it("caps the back-off at maxDelayMs", async () => {
      const guard = createProviderGuard(guardOptions({ maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 25 }));
      const times: number[] = [];
      await failureOf(
        guard.run(async () => {
          times.push(performance.now());
          throw outage();
        }),
      );
      assert.equal(times.length, 5);
      // Uncapped, the fourth back-off would be 80-160 ms; capped, it is planned at 12.5-25 ms.
      const planned = guard.stats().recentRetryDelaysMs;
      assert.equal(planned.length, 4);
      assert.ok(planned[3] >= 12 && planned[3] <= 25, `fourth back-off planned ${planned[3]} ms`);
      assert.ok(times[4]! - times[3]! >= planned[3] - 1, "the measured wait is at least the planned one");
    });

    it("succeeds when the provider recovers within the attempts", async () => {
      const guard = createProviderGuard(guardOptions({ maxAttempts: 3 }));
      let attempts = 0;
      const value = await guard.run(async () => {
        attempts++;
        if (attempts < 3) throw outage();
        return "학생";
      });
      assert.equal(value, "학생");
      assert.equal(attempts, 3);
    });

    it("never retries a rejection (4xx): the same request would be refused again", async () => {
      const guard = createProviderGuard(guardOptions({ maxAttempts: 3 }));
      let attempts = 0;
      const thrown = rejection();
      const error = await failureOf(
        guard.run(async () => {
          attempts++;
          throw thrown;
        }),
      );
      assert.equal(attempts, 1);
      assert.equal(error, thrown, "the KotoError passes through unchanged");
      assert.equal(guard.stats().retries, 0);
    });

    it("passes other KotoErrors through without retrying", async () => {
      const guard = createProviderGuard(guardOptions());
      let attempts = 0;
      const disabled = new KotoError("STT_DISABLED", "Automatic scoring is off on this server; a tutor will grade your attempt.");
      const error = await failureOf(
        guard.run(async () => {
          attempts++;
          throw disabled;
        }),
      );
      assert.equal(error, disabled);
      assert.equal(attempts, 1);
    });

    it("turns an unexpected error into PROVIDER_FAILED without retrying", async () => {
      const guard = createProviderGuard(guardOptions());
      let attempts = 0;
      const error = await failureOf(
        guard.run(async () => {
          attempts++;
          throw new TypeError("cannot read properties of undefined");
        }),
      );
      assert.equal(error.code, "PROVIDER_FAILED");
      assert.equal(attempts, 1);
      assert.match(error.detail, /your attempt is kept/);
    });

    it("stops when the caller aborts: PROVIDER_CANCELLED, no further attempts", async () => {
      const guard = createProviderGuard(guardOptions({ maxAttempts: 5, baseDelayMs: 30 }));
      const controller = new AbortController();
      let attempts = 0;
      const error = await failureOf(
        guard.run(async (signal) => {
          attempts++;
          setTimeout(() => controller.abort(), 10);
          await new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
        }, controller.signal),
      );
      assert.equal(error.code, "PROVIDER_CANCELLED");
      await sleep(100);
      assert.equal(attempts, 1);
    });

    it("makes no further attempt when the caller aborts during a back-off", async () => {
      const guard = createProviderGuard(guardOptions({ maxAttempts: 5, baseDelayMs: 80, maxDelayMs: 80 }));
      let attempts = 0;
      const error = await failureOf(
        guard.run(async () => {
          attempts++;
          throw outage();
        }, AbortSignal.timeout(20)),
      );
      assert.equal(error.code, "PROVIDER_CANCELLED");
      assert.equal(attempts, 1);
    });
  });

  describe("circuit breaker", () => {
    const breakerOptions = () =>
      guardOptions({ maxAttempts: 1, breaker: { failureThreshold: 3, halfOpenAfterMs: 100 } });

    it("opens after failureThreshold consecutive failures and then fails fast without calling", async () => {
      const guard = createProviderGuard(breakerOptions());
      let attempts = 0;
      const failing = async () => {
        attempts++;
        throw outage();
      };
      for (let i = 0; i < 3; i++) assert.equal((await failureOf(guard.run(failing))).code, "STT_UNAVAILABLE");
      assert.equal(guard.stats().breakerState, "open");

      const error = await failureOf(guard.run(failing));
      assert.equal(error.code, "PROVIDER_CIRCUIT_OPEN");
      assert.equal(
        error.detail,
        "Speech recognition is temporarily unavailable; your attempt is kept and will be re-evaluated.",
      );
      assert.equal(attempts, 3, "an open circuit does not reach the provider");
      assert.equal(guard.stats().circuitRejections, 1);
    });

    it("half-opens after halfOpenAfterMs: one success closes it again", async () => {
      const guard = createProviderGuard(breakerOptions());
      for (let i = 0; i < 3; i++) await failureOf(guard.run(async () => Promise.reject(outage())));
      assert.equal(guard.stats().breakerState, "open");
      await sleep(120);
      assert.equal(await guard.run(async () => "복구"), "복구");
      assert.equal(guard.stats().breakerState, "closed");
    });

    it("half-opens after halfOpenAfterMs: one failure opens it again", async () => {
      const guard = createProviderGuard(breakerOptions());
      for (let i = 0; i < 3; i++) await failureOf(guard.run(async () => Promise.reject(outage())));
      await sleep(120);
      let attempts = 0;
      const probe = await failureOf(
        guard.run(async () => {
          attempts++;
          throw outage();
        }),
      );
      assert.equal(probe.code, "STT_UNAVAILABLE");
      assert.equal(attempts, 1, "the half-open probe reached the provider");
      assert.equal(guard.stats().breakerState, "open");
      assert.equal((await failureOf(guard.run(async () => "x"))).code, "PROVIDER_CIRCUIT_OPEN");
    });

    it("counts every failed attempt, retries included", async () => {
      const guard = createProviderGuard(guardOptions({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, breaker: { failureThreshold: 3, halfOpenAfterMs: 1000 } }));
      await failureOf(guard.run(async () => Promise.reject(outage())));
      assert.equal(guard.stats().breakerState, "open");
    });

    it("a success resets the count of consecutive failures", async () => {
      const guard = createProviderGuard(breakerOptions());
      for (let i = 0; i < 2; i++) await failureOf(guard.run(async () => Promise.reject(outage())));
      await guard.run(async () => "ok");
      for (let i = 0; i < 2; i++) await failureOf(guard.run(async () => Promise.reject(outage())));
      assert.equal(guard.stats().breakerState, "closed");
    });

    it("rejections of a request do not open it: they say nothing about the provider's health", async () => {
      const guard = createProviderGuard(breakerOptions());
      for (let i = 0; i < 6; i++) await failureOf(guard.run(async () => Promise.reject(rejection())));
      assert.equal(guard.stats().breakerState, "closed");
    });

    it("timeouts open it", async () => {
      const guard = createProviderGuard(guardOptions({ timeoutMs: 20, maxAttempts: 1, breaker: { failureThreshold: 2, halfOpenAfterMs: 1000 } }));
      for (let i = 0; i < 2; i++) await failureOf(guard.run(() => new Promise<never>(() => {})));
      assert.equal(guard.stats().breakerState, "open");
    });
  });

  describe("bulkhead", () => {
    it("runs at most `concurrency` calls, queues up to queueLimit, and refuses the rest with PROVIDER_BUSY", async () => {
      const guard = createProviderGuard(guardOptions({ concurrency: 2, queueLimit: 1 }));
      const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
      let started = 0;
      const runs = gates.map((gate) =>
        guard.run(() => {
          started++;
          return gate.promise;
        }),
      );
      await sleep(10);
      assert.equal(started, 2);
      assert.deepEqual([guard.stats().inFlight, guard.stats().queued], [2, 1]);

      const busy = await failureOf(guard.run(async () => "too many"));
      assert.equal(busy.code, "PROVIDER_BUSY");
      assert.match(busy.detail, /^Speech recognition is busy/);
      assert.equal(guard.stats().busyRejections, 1);

      gates[0]!.resolve("하나");
      await sleep(10);
      assert.equal(started, 3, "the queued call starts when a slot frees");
      gates[1]!.resolve("둘");
      gates[2]!.resolve("셋");
      assert.deepEqual(await Promise.all(runs), ["하나", "둘", "셋"]);
      assert.deepEqual([guard.stats().inFlight, guard.stats().queued], [0, 0]);
    });

    it("with no queue refuses as soon as every slot is taken", async () => {
      const guard = createProviderGuard(guardOptions({ concurrency: 1, queueLimit: 0 }));
      const gate = deferred<string>();
      const first = guard.run(() => gate.promise);
      assert.equal((await failureOf(guard.run(async () => "second"))).code, "PROVIDER_BUSY");
      gate.resolve("first");
      assert.equal(await first, "first");
    });
  });

  it("refuses options that would retry without bound or never run", () => {
    assert.throws(() => createProviderGuard(guardOptions({ maxAttempts: 0 })), /maxAttempts/);
    assert.throws(() => createProviderGuard(guardOptions({ maxAttempts: 11 })), /maxAttempts/);
    assert.throws(() => createProviderGuard(guardOptions({ concurrency: 0 })), /concurrency/);
    assert.throws(() => createProviderGuard(guardOptions({ baseDelayMs: 100, maxDelayMs: 50 })), /maxDelayMs/);
  });
});
