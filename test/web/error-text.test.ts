import assert from "node:assert/strict";
import { ERROR_CODES } from "../../protocol/error-codes.ts";
import { toMatchmakingError } from "../../protocol/matchmaking.ts";
import { errorCodeOf, errorDictionaries, errorText, failureText } from "../../web-client/src/error-text.ts";

describe("web client error sentences", () => {
  it("has an English and an Indonesian sentence for every protocol error code", () => {
    const missing: string[] = [];
    for (const code of ERROR_CODES) {
      for (const lang of ["en", "id"] as const) {
        const sentence = (errorDictionaries[lang] as Record<string, string | undefined>)[code];
        if (!sentence?.trim()) missing.push(`${lang}:${code}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it("really translates: no Indonesian sentence is the English one", () => {
    const untranslated = Object.keys(errorDictionaries.en).filter((code) =>
      (errorDictionaries.id as Record<string, string>)[code] === (errorDictionaries.en as Record<string, string>)[code]);
    assert.deepEqual(untranslated, []);
  });

  it("never shows a raw code: an unknown code reads as the general sentence", () => {
    assert.equal(errorText("SOMETHING_NEW", { lang: "id" }), "Terjadi kesalahan. Silakan coba lagi.");
    assert.equal(errorText(undefined, { lang: "en" }), "Something went wrong. Please try again.");
    assert.equal(errorText("ROOM_FULL", { lang: "id" }), "Sesi ini sudah penuh.");
  });

  it("says when to try again after a limit", () => {
    assert.equal(errorText("SPEECH_RATE_LIMITED", { lang: "id", retryAfterMs: 12_300 }),
      "Anda sudah menjawab berkali-kali dalam waktu singkat. Silakan tunggu sebentar. Coba lagi dalam 13 detik.");
  });

  it("shows an attempt's failure from its code, in the learner's language", () => {
    assert.equal(failureText({ failureCode: "NO_SPEECH", failureReason: "We did not hear any speech." }, "id"),
      "Kami tidak mendengar suara. Periksa mikrofon Anda dan coba lagi.");
    // A server without failureCode: its English sentence in English, the general sentence otherwise.
    assert.equal(failureText({ failureReason: "We did not hear any speech." }, "en"), "We did not hear any speech.");
    assert.equal(failureText({ failureReason: "We did not hear any speech." }, "id"), "Terjadi kesalahan. Silakan coba lagi.");
    assert.equal(failureText({ failureCode: "", failureReason: "" }, "id"), "");
  });

  it("reads the code of API errors and of matchmaking refusals", () => {
    assert.equal(errorCodeOf({ code: "LOGIN_FAILED", message: "the email or password is not right" }), "LOGIN_FAILED");
    const refusal = toMatchmakingError("AUTH_TOKEN_EXPIRED", "your session has expired; sign in again", 401);
    assert.equal(errorCodeOf(Object.assign(new Error(refusal.message), { code: refusal.code })), "AUTH_TOKEN_EXPIRED");
    assert.equal(errorCodeOf(new Error("socket hang up")), "UNKNOWN_ERROR");
  });
});
