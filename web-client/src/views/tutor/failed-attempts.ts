/** The tutor dashboard's list of spoken answers that failed, each with "Evaluate again" (works outside the session too). */
import type { AppContext } from "../../app-context.ts";
import type { FailedAttempt } from "../../api.ts";
import { t } from "../../i18n.ts";
import { failureText } from "../../error-text.ts";
import { h, reconcile } from "../dom.ts";
import { showApiError } from "../home-view.ts";
import { dashboardPanel } from "./dashboard-panel.ts";

export function failedAttemptsPanel(app: AppContext, token: string): { element: HTMLElement; refresh: () => Promise<void> } {
  const { element, list } = dashboardPanel("failed-attempts", "failedAttempts", "failedAttemptsHint");

  const refresh = async () => {
    const { attempts } = await app.api.failedAttempts(token);
    element.hidden = attempts.length === 0;
    reconcile(list, attempts.map((attempt) => ({ key: attempt.id, version: JSON.stringify(attempt), render: () => row(attempt) })));
  };

  const row = (attempt: FailedAttempt) => {
    const button = h("button", {
      type: "button", class: "button button--quiet", text: t("evaluateAgain"),
      on: {
        click: async () => {
          button.disabled = true;
          try {
            const { attempt: after } = await app.api.reevaluate(token, attempt.id);
            app.toasts.show({ kind: "success", message: t("evaluatedAgain", { status: after.status }) });
            await refresh();
          } catch (error) {
            button.disabled = false;
            showApiError(app, error);
          }
        },
      },
    });
    return h("li", { class: "card session-card", dataset: { attemptId: attempt.id } },
      h("div", { class: "session-card__text" },
        h("p", { class: "session-card__lesson", text: `${attempt.lessonId} · ${t("step")} ${attempt.step + 1}` }),
        h("p", { class: "hint-text", text: failureText({ failureCode: attempt.failureCode ?? undefined, failureReason: attempt.failureReason ?? "" }) })),
      button);
  };
  return { element, refresh };
}
