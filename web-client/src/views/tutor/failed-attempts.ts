/** The tutor dashboard's list of spoken answers that failed, each with "Evaluate again" (works outside the session too). */
import type { AppContext } from "../../app-context.ts";
import type { FailedAttempt } from "../../api.ts";
import { t } from "../../i18n.ts";
import { h, reconcile } from "../dom.ts";
import { showApiError } from "../home-view.ts";
import { statusLabel } from "../attempt-parts.ts";
import { attemptSummary, type AttemptContext, type AttemptDirectory } from "./attempt-context.ts";
import { dashboardPanel } from "./dashboard-panel.ts";

export function failedAttemptsPanel(app: AppContext, token: string, directory: AttemptDirectory): { element: HTMLElement; refresh: () => Promise<void> } {
  const { element, list } = dashboardPanel("failed-attempts", "failedAttempts", "failedAttemptsHint");

  const refresh = async () => {
    const { attempts } = await app.api.failedAttempts(token);
    await directory.prepare(attempts);
    element.hidden = attempts.length === 0;
    reconcile(list, attempts.map((attempt) => {
      const context = directory.describe(attempt);
      return { key: attempt.id, version: JSON.stringify([attempt, context]), render: () => row(attempt, context) };
    }));
  };

  const row = (attempt: FailedAttempt, context: AttemptContext) => {
    const button = h("button", {
      type: "button", class: "button button--quiet", text: t("evaluateAgain"),
      on: {
        click: async () => {
          button.disabled = true;
          try {
            const { attempt: after } = await app.api.reevaluate(token, attempt.id);
            app.toasts.show({ kind: "success", message: t("evaluatedAgain", { status: statusLabel(after.status) }) });
            await refresh();
          } catch (error) {
            button.disabled = false;
            showApiError(app, error);
          }
        },
      },
    });
    return h("li", { class: "card session-card", dataset: { attemptId: attempt.id } }, attemptSummary(attempt, context), button);
  };
  return { element, refresh };
}
