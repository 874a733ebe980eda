/**
 * The tutor dashboard's list of spoken answers waiting for a grade, from every session: those of a
 * session that has ended can be graded nowhere else (POST /api/attempts/:id/grade; a live session's
 * answer goes through its room, as a grade given in the session does).
 */
import type { AppContext } from "../../app-context.ts";
import type { FailedAttempt } from "../../api.ts";
import { t } from "../../i18n.ts";
import { errorCodeOf, errorText } from "../../error-text.ts";
import { h, reconcile } from "../dom.ts";
import { icon } from "../icons.ts";
import { showApiError } from "../home-view.ts";
import { attemptSummary, type AttemptContext, type AttemptDirectory } from "./attempt-context.ts";
import { dashboardPanel } from "./dashboard-panel.ts";
import { QUICK_LABELS, QUICK_SCORES, type QuickGrade } from "./quick-grades.ts";

export function awaitingGradePanel(app: AppContext, token: string, directory: AttemptDirectory): { element: HTMLElement; refresh: () => Promise<void> } {
  const { element, list } = dashboardPanel("awaiting-grade", "awaitingGrade", "awaitingGradeHint");
  /** Object URLs of recordings played, revoked when their row goes. */
  const players = new Map<string, HTMLAudioElement>();

  const refresh = async () => {
    const { attempts } = await app.api.awaitingGrade(token);
    await directory.prepare(attempts);
    element.hidden = attempts.length === 0;
    const ids = new Set(attempts.map((attempt) => attempt.id));
    for (const [id, audio] of players) {
      if (ids.has(id)) continue;
      URL.revokeObjectURL(audio.src);
      players.delete(id);
    }
    reconcile(list, attempts.map((attempt) => {
      const context = directory.describe(attempt);
      return { key: attempt.id, version: JSON.stringify([attempt.id, context]), render: () => row(attempt, context) };
    }));
  };

  const row = (attempt: FailedAttempt, context: AttemptContext) => {
    // Drawn again when a name arrives late: a recording already fetched stays in the row.
    const slot = h("div", { class: "attempt__audio" }, players.get(attempt.id) ?? null);
    const play = h("button", {
      type: "button", class: "button", dataset: { action: "play" },
      on: {
        click: async () => {
          let audio = players.get(attempt.id);
          if (!audio) {
            play.disabled = true;
            try {
              const blob = await app.api.attemptAudio(token, attempt.id);
              audio = h("audio", { controls: true, src: URL.createObjectURL(blob), class: "replay-audio", dataset: { attemptId: attempt.id } });
              players.set(attempt.id, audio);
              slot.append(audio);
            } catch (error) {
              app.toasts.error(errorText(errorCodeOf(error)), errorCodeOf(error));
              return;
            } finally {
              play.disabled = false;
            }
          }
          audio.currentTime = 0;
          await audio.play().catch(() => {});
        },
      },
    }, icon("play"), t("play"));
    const buttons: HTMLButtonElement[] = [];
    const quickGrade = (kind: QuickGrade) => {
      const button = h("button", {
        type: "button", class: `button quick-grade quick-grade--${kind}`, dataset: { action: `grade-${kind}`, score: QUICK_SCORES[kind] },
        attrs: { "aria-label": t(QUICK_LABELS[kind].label, { score: QUICK_SCORES[kind] }) },
        on: {
          click: async () => {
            for (const each of buttons) each.disabled = true;
            try {
              await app.api.grade(token, attempt.id, QUICK_SCORES[kind]);
              app.toasts.show({ kind: "success", message: t("gradeSaved", { score: QUICK_SCORES[kind] }) });
              await refresh();
            } catch (error) {
              for (const each of buttons) each.disabled = false;
              showApiError(app, error);
            }
          },
        },
      }, t(QUICK_LABELS[kind].text));
      buttons.push(button);
      return button;
    };
    return h("li", { class: "card session-card", dataset: { attemptId: attempt.id } },
      h("div", {}, attemptSummary(attempt, context), h("div", { class: "attempt__actions" }, play, slot)),
      h("div", { class: "quick-grades", attrs: { role: "group", "aria-label": t("saveGrade") } },
        quickGrade("pass"), quickGrade("close"), quickGrade("retry")));
  };
  return { element, refresh };
}
