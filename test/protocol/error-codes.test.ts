import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ERROR_CODES, ERROR_SENTENCES, OPERATOR_ERROR_CODES, isErrorCode } from "../../protocol/error-codes.ts";
import { providerFailure, type ProviderFailureKind } from "../../server/speech/resilience/provider-error.ts";
import { STT_VOCABULARY } from "../../server/speech/stt/speech-to-text.ts";
import { FEEDBACK_VOCABULARY } from "../../server/speech/feedback/feedback-writer.ts";

const repository = fileURLToPath(new URL("../../", import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(join(repository, folder)).flatMap((name) => {
    const path = join(folder, name);
    return statSync(join(repository, path)).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Codes written as the first argument of an error constructor, or as an attempt's failure code. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /new (?:KotoError|UsageLimitError|ProviderError)\(\s*"([A-Z][A-Z0-9_]+)"/g,
    /new (?:KotoError|UsageLimitError|ProviderError)\(\s*[^;]*?\?\s*"([A-Z][A-Z0-9_]+)"\s*:\s*"([A-Z][A-Z0-9_]+)"/g,
    /\bfail\(\s*\w+,\s*(?:[^,]*\?\s*)?"([A-Z][A-Z0-9_]+)"(?:\s*:\s*"([A-Z][A-Z0-9_]+)")?/g,
    /\bcode:\s*"([A-Z][A-Z0-9_]+)"/g,
    /failureCode:\s*"([A-Z][A-Z0-9_]+)"/g,
  ];
  for (const file of [...sourceFiles("server"), ...sourceFiles("rooms")]) {
    const text = readFileSync(join(repository, file), "utf8");
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) for (const code of match.slice(1)) if (code) found.set(code, file);
    }
  }
  return found;
}

describe("protocol error codes", () => {
  it("accounts for every error code written in server/ and rooms/ (sent to clients, or operator-only)", () => {
    const operator = new Set<string>(OPERATOR_ERROR_CODES);
    const codes = codesInSource();
    assert.ok(codes.size > 40, `the scan found only ${codes.size} codes: the patterns no longer match the source`);
    const missing = [...codes].filter(([code]) => !isErrorCode(code) && !operator.has(code)).map(([code, file]) => `${code} (${file})`);
    assert.deepEqual(missing, [], "add these codes to protocol/error-codes.ts (and both web client dictionaries)");
  });

  it("covers every code a speech provider can fail with", () => {
    const kinds: ProviderFailureKind[] = ["timeout", "unavailable", "rejected", "bad_response", "cancelled"];
    for (const vocabulary of [STT_VOCABULARY, FEEDBACK_VOCABULARY, { prefix: "PROVIDER", service: "A provider" }]) {
      for (const kind of kinds) {
        const { code } = providerFailure(vocabulary, kind, "test");
        assert.ok(isErrorCode(code), `${code} is not in protocol/error-codes.ts`);
      }
    }
  });

  it("gives every code a sentence that ends like one, and keeps operator codes apart", () => {
    for (const code of ERROR_CODES) {
      assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      assert.match(ERROR_SENTENCES[code], /^[A-Z].*[.?!)]$/, code);
    }
    for (const code of OPERATOR_ERROR_CODES) assert.equal(isErrorCode(code), false, code);
  });

  it("is written out exactly in docs/protocol.md, which other clients mirror", () => {
    const doc = readFileSync(join(repository, "docs/protocol.md"), "utf8");
    const missing = ERROR_CODES.filter((code) => !doc.includes(`| \`${code}\` | ${ERROR_SENTENCES[code]} |`));
    assert.deepEqual(missing, [], "docs/protocol.md's error table is out of step with protocol/error-codes.ts");
  });

  it("names every operator-only code in docs/protocol.md's list of codes that never reach a client", () => {
    const doc = readFileSync(join(repository, "docs/protocol.md"), "utf8");
    const list = /Codes that only stop the server or the CLI \(([^)]*)\)/.exec(doc)?.[1] ?? "";
    const families = [...list.matchAll(/`([A-Z_]+_)\*`/g)].map((match) => match[1]);
    const named = (code: string) => list.includes(`\`${code}\``) || families.some((family) => code.startsWith(family));
    assert.deepEqual(OPERATOR_ERROR_CODES.filter((code) => !named(code)), []);
  });

  it("recognises only codes of the table", () => {
    assert.equal(isErrorCode("ROOM_FULL"), true);
    assert.equal(isErrorCode("toString"), false);
    assert.equal(isErrorCode("ROOM_FULL: this session is full"), false);
    assert.equal(isErrorCode(undefined), false);
  });
});
