/**
 * Why an answer was not scored, in a tutor's words: what happened and what the tutor can do. The
 * learner's sentences (error-text.ts) say "your answer" and "your tutor"; a tutor reads these, in
 * the session and on the dashboard alike.
 */
import { failureText } from "../../error-text.ts";
import { t, type MessageKey } from "../../i18n.ts";

/** One code, one sentence. */
const TUTOR_FAILURES: Readonly<Record<string, MessageKey>> = {
  STT_DISABLED: "tutorSttDisabled",
  NO_SPEECH: "tutorNoSpeech",
  DISCONNECTED: "tutorDisconnected",
  RECORDING_STORAGE_UNAVAILABLE: "tutorRecordingNotStored",
  SERVER_RESTARTED: "tutorServerRestarted",
  SERVER_RESTARTED_NO_AUDIO: "tutorServerRestartedNoAudio",
};

/** Families of codes by prefix: every speech-to-text provider failure reads the same to a tutor. */
const TUTOR_FAILURE_FAMILIES: ReadonlyArray<readonly [prefix: string, key: MessageKey]> = [
  ["STT_", "tutorProviderFailed"],
  ["PROVIDER_", "tutorProviderFailed"],
];

/** The tutor's sentence for an attempt's `failureCode` ("" for none; a server without codes sends only a reason). */
export function tutorFailureText(attempt: { failureCode?: string | null; failureReason?: string | null }): string {
  const code = attempt.failureCode;
  if (!code) return failureText({ failureReason: attempt.failureReason ?? "" });
  const key = TUTOR_FAILURES[code] ?? TUTOR_FAILURE_FAMILIES.find(([prefix]) => code.startsWith(prefix))?.[1] ?? "tutorNotScored";
  return t(key);
}
