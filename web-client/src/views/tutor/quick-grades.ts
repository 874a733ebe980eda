/** One-tap grades, the same in a live session and on the dashboard's list of answers waiting for a grade. */
import type { MessageKey } from "../../i18n.ts";

/** The server's default pass mark (server/attempts/attempt.ts DEFAULT_PASS_MARK): a tutor's grade at or above it passes. */
const PASS_MARK = 80;

export type QuickGrade = "pass" | "close" | "retry";
/**
 * One tap, one default score. The server's pass mark is 80: "pass" and "close" move the learner on
 * ("close" = right, with small slips), "retry" keeps them on the line.
 */
export const QUICK_SCORES: Record<QuickGrade, number> = { pass: 95, close: PASS_MARK, retry: 40 };
export const QUICK_LABELS: Record<QuickGrade, { text: MessageKey; label: MessageKey }> = {
  pass: { text: "gradePass", label: "gradePassLabel" },
  close: { text: "gradeClose", label: "gradeCloseLabel" },
  retry: { text: "gradeRetry", label: "gradeRetryLabel" },
};
