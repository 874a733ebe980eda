import assert from "node:assert/strict";
import { ProviderError } from "../../server/speech/resilience/provider-error.ts";

/** Awaits a provider call that must fail and returns its ProviderError. */
export async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}
