/** Tutor sign-in, then the live sessions, refreshed every few seconds. */
import type { SessionFlags, SessionSummary } from "../../api.ts";
import type { AppContext, Unmount } from "../../app-context.ts";
import { t, phaseLabel } from "../../i18n.ts";
import { remembered } from "../../storage.ts";
import { scoreBand } from "../attempt-parts.ts";
import { h, reconcile, setChildren } from "../dom.ts";
import { showApiError } from "../home-view.ts";
import { failedAttemptsPanel } from "./failed-attempts.ts";
import { awaitingGradePanel } from "./awaiting-grade.ts";
import { AttemptDirectory } from "./attempt-context.ts";
import { clockTime } from "./tutor-labels.ts";

const REFRESH_MS = 3000;

export function mountTutorHome(root: HTMLElement, app: AppContext): Unmount {
  const tutor = remembered.tutor();
  return tutor ? mountDashboard(root, app, tutor.token, tutor.user.displayName) : mountLogin(root, app);
}

function mountLogin(root: HTMLElement, app: AppContext): Unmount {
  const email = h("input", { id: "tutor-email", type: "email", autocomplete: "username", required: true });
  const password = h("input", { id: "tutor-password", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit", class: "button button--primary", text: t("signIn") });
  const form = h("form", {
    class: "card login-card",
    on: {
      submit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        try {
          remembered.setTutor(await app.api.login(email.value.trim(), password.value));
          // A wrong password tried before this one no longer applies.
          app.toasts.dismissErrors();
          app.navigate("#/tutor");
        } catch (error) {
          submit.disabled = false;
          showApiError(app, error);
          password.focus();
        }
      },
    },
  },
  h("h1", { text: t("tutorLogin") }),
  h("div", { class: "field" }, h("label", { htmlFor: "tutor-email", text: t("email") }), email),
  h("div", { class: "field" }, h("label", { htmlFor: "tutor-password", text: t("password") }), password),
  submit);
  setChildren(root, form);
  email.focus();
  return () => {};
}

function mountDashboard(root: HTMLElement, app: AppContext, token: string, name: string): Unmount {
  const list = h("ul", { class: "session-list", attrs: { "aria-live": "polite" } });
  const empty = h("p", { class: "card", text: t("noSessions"), hidden: true });
  const updated = h("p", { class: "hint-text" });
  // One directory for both lists: a learner's name or a lesson is fetched once for the page.
  const directory = new AttemptDirectory(app.api);
  const failed = failedAttemptsPanel(app, token, directory);
  const awaiting = awaitingGradePanel(app, token, directory);
  setChildren(root,
    h("div", { class: "page-head" },
      h("h1", { text: t("liveSessions") }),
      h("div", { class: "page-head__actions" },
        h("span", { class: "hint-text", text: name }),
        h("button", {
          type: "button", class: "button button--quiet", text: t("signOut"),
          on: { click: () => { remembered.setTutor(null); app.navigate("#/tutor"); } },
        }))),
    updated, empty, list, awaiting.element, failed.element);

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = async () => {
    try {
      const [{ sessions }, flags] = await Promise.all([
        app.api.liveSessions(token),
        app.api.tutorFlags(token).then((answer) => answer.sessions, () => ({} as Record<string, SessionFlags>)),
        failed.refresh(),
        awaiting.refresh(),
      ]);
      if (stopped) return;
      empty.hidden = sessions.length > 0;
      // Sessions that need a tutor most come first; equal need keeps the server's order.
      const sorted = sessions.map((session, order) => ({ session, order, flags: flags[session.id] }))
        .sort((a, b) => (b.flags?.need ?? -1) - (a.flags?.need ?? -1) || a.order - b.order);
      reconcile(list, sorted.map(({ session, flags: sessionFlags }) => ({
        key: session.id, version: JSON.stringify([session, sessionFlags]), render: () => sessionCard(session, sessionFlags),
      })));
      updated.textContent = t("refreshedAt", { time: clockTime(Date.now()) });
    } catch (error) {
      if (stopped) return;
      if ((error as { code?: string }).code?.startsWith("AUTH_")) {
        remembered.setTutor(null);
        app.navigate("#/tutor");
        return;
      }
      showApiError(app, error);
    }
    timer = setTimeout(refresh, REFRESH_MS);
  };
  void refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function flagChips(flags: SessionFlags | undefined): HTMLElement | null {
  if (!flags) return null;
  const chips: HTMLElement[] = [];
  if (flags.needsGrading > 0) chips.push(h("li", { class: "flag flag--grading", dataset: { flag: "needs-grading" }, text: t("flagNeedsGrading", { count: flags.needsGrading }) }));
  if (flags.disconnected.length > 0) chips.push(h("li", { class: "flag flag--disconnected", dataset: { flag: "disconnected" }, text: t("flagDisconnected") }));
  if (flags.speaking.length > 0) chips.push(h("li", { class: "flag flag--speaking", dataset: { flag: "speaking" }, text: t("flagSpeaking") }));
  else if (flags.idleMinutes >= 2) chips.push(h("li", { class: "flag flag--idle", dataset: { flag: "idle" }, text: t("flagIdle", { minutes: flags.idleMinutes }) }));
  if (chips.length === 0) chips.push(h("li", { class: "flag flag--ok", dataset: { flag: "ok" }, text: t("flagOk") }));
  return h("ul", { class: "flags" }, chips);
}

function sessionCard(session: SessionSummary, flags?: SessionFlags): HTMLElement {
  const learners = session.participants.filter((participant) => participant.role === "learner").map((participant) => participant.displayName);
  return h("li", { class: "card session-card", dataset: { sessionId: session.id } },
    h("div", { class: "session-card__text" },
      h("h2", { text: learners.join(", ") || "—" }),
      h("p", { class: "session-card__lesson", text: session.lessonTitle }),
      flagChips(flags),
      h("dl", { class: "inline-stats" },
        h("div", {}, h("dt", { text: t("phase") }), h("dd", { text: phaseLabel(session.phase) })),
        h("div", {}, h("dt", { text: t("step") }), h("dd", { text: String(session.currentStep + 1) })),
        h("div", {}, h("dt", { text: t("attempts") }), h("dd", { text: String(session.attemptsCount) })),
        h("div", {}, h("dt", { text: t("lastScore") }), h("dd", {},
          session.lastScore === null ? "—" : h("span", { class: `score-chip ${scoreBand(session.lastScore)}`, text: String(session.lastScore) }))))),
    h("a", { class: "button button--primary", href: `#/tutor/session/${encodeURIComponent(session.id)}`, text: t("join"), attrs: { "aria-label": `${t("join")}: ${learners.join(", ")} — ${session.lessonTitle}` } }));
}
