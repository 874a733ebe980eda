/**
 * What the server sends as codes ("spoken", "guest", "web", "B") and as times, in the tutor's UI
 * language: the Indonesian console must not show English words or an en-US clock. Each function
 * takes the language so a test can ask for either without switching the page.
 */
import { language, t, type MessageKey, type UiLanguage } from "../../i18n.ts";

/** One locale per UI language; en-GB for English, so English times are 24-hour like Indonesian ones. */
const LOCALES: Record<UiLanguage, string> = { en: "en-GB", id: "id-ID" };

const ATTEMPT_KINDS: Record<string, MessageKey> = { spoken: "attemptSpoken", typed: "attemptTyped" };
const ACCOUNT_KINDS: Record<string, MessageKey> = { guest: "accountGuest", tutor: "accountTutor" };
const PLATFORMS: Record<string, MessageKey> = { web: "platformWeb", unity: "unityLearner", other: "platformOther" };

export function uiLocale(lang: UiLanguage = language()): string {
  return LOCALES[lang];
}

/** A time of day to the second, for an attempt, a note or the last refresh. */
export function clockTime(at: number | Date, lang: UiLanguage = language()): string {
  return new Date(at).toLocaleTimeString(uiLocale(lang), { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** A day and a time, for an answer that may be days old. */
export function dayAndTime(at: number | string | Date, lang: UiLanguage = language()): string {
  return new Date(at).toLocaleString(uiLocale(lang), { dateStyle: "medium", timeStyle: "short" });
}

/** A day alone (an account's creation); an unreadable date is shown as the server sent it. */
export function calendarDay(at: string, lang: UiLanguage = language()): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at.slice(0, 10) : date.toLocaleDateString(uiLocale(lang), { dateStyle: "medium" });
}

/** Whether an answer was spoken or typed; a kind this client does not know is shown as sent. */
export function attemptKindLabel(kind: string, lang: UiLanguage = language()): string {
  return ATTEMPT_KINDS[kind] ? t(ATTEMPT_KINDS[kind], {}, lang) : kind;
}

export function accountKindLabel(kind: string, lang: UiLanguage = language()): string {
  return ACCOUNT_KINDS[kind] ? t(ACCOUNT_KINDS[kind], {}, lang) : kind;
}

/** The app a learner uses; an empty platform (a learner who left) is a dash. */
export function platformLabel(platform: string, lang: UiLanguage = language()): string {
  if (!platform) return "—";
  return PLATFORMS[platform] ? t(PLATFORMS[platform], {}, lang) : platform;
}

/** The dialogue role a learner plays ("A", "B") as the speaker it names. */
export function dialogueRoleLabel(role: string, lang: UiLanguage = language()): string {
  return role ? t("speakerRole", { role }, lang) : "—";
}
