/**
 * The tutor console in the UI language: the codes the server sends (an attempt's kind, an account's
 * kind, a platform, a dialogue role) and every time are shown in that language, never as raw English
 * codes or an en-US clock in the Indonesian console.
 */
import assert from "node:assert/strict";
import { setLanguage } from "../../web-client/src/i18n.ts";
import {
  accountKindLabel, attemptKindLabel, calendarDay, clockTime, dayAndTime, dialogueRoleLabel, platformLabel, uiLocale,
} from "../../web-client/src/views/tutor/tutor-labels.ts";

// 18:48:54 local time: the hour an en-US clock writes "6:48:54 PM".
const EVENING = new Date(2025, 0, 5, 18, 48, 54).getTime();

describe("web client: the tutor console's labels and times", () => {
  afterEach(() => setLanguage("en"));

  const labels: Array<[what: string, label: (value: string, lang: "en" | "id") => string, value: string, en: string, id: string]> = [
    ["a spoken answer", attemptKindLabel, "spoken", "spoken", "lisan"],
    ["a typed answer", attemptKindLabel, "typed", "typed", "diketik"],
    ["a guest account", accountKindLabel, "guest", "guest", "tamu"],
    ["a tutor account", accountKindLabel, "tutor", "tutor", "tutor"],
    ["the web client", platformLabel, "web", "Web browser", "Peramban web"],
    ["the Unity app", platformLabel, "unity", "Unity app", "Aplikasi Unity"],
    ["another client", platformLabel, "other", "Other app", "Aplikasi lain"],
    ["no platform (a learner who left)", platformLabel, "", "—", "—"],
    ["dialogue role B", dialogueRoleLabel, "B", "Speaker B", "Pembicara B"],
    ["no dialogue role", dialogueRoleLabel, "", "—", "—"],
    ["a kind this client does not know, as sent", attemptKindLabel, "sung", "sung", "sung"],
  ];
  for (const [what, label, value, en, id] of labels) {
    it(`names ${what} in English and Indonesian`, () => {
      assert.equal(label(value, "en"), en);
      assert.equal(label(value, "id"), id);
    });
  }

  it("follows the current UI language when none is given", () => {
    setLanguage("id");
    assert.equal(attemptKindLabel("spoken"), "lisan");
    assert.equal(uiLocale(), "id-ID");
    setLanguage("en");
    assert.equal(uiLocale(), "en-GB");
  });

  it("writes a time of day in the UI language's locale: 24-hour, never 'PM'", () => {
    assert.equal(clockTime(EVENING, "id"), "18.48.54");
    assert.equal(clockTime(EVENING, "en"), "18:48:54");
    setLanguage("id");
    assert.equal(clockTime(EVENING), "18.48.54");
  });

  it("writes a day, and a day with a time, in the UI language's locale", () => {
    assert.equal(dayAndTime(EVENING, "id"), "5 Jan 2025, 18.48");
    assert.equal(dayAndTime(EVENING, "en"), "5 Jan 2025, 18:48");
    assert.equal(calendarDay("2025-08-17T10:00:00.000Z", "id"), "17 Agu 2025");
    assert.equal(calendarDay("2025-08-17T10:00:00.000Z", "en"), "17 Aug 2025");
    assert.equal(calendarDay("not a date", "en"), "not a date");
  });
});
