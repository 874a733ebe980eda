/** The learner's progress across lessons (GET /api/progress/me). */
import type { LessonDetails, ProgressEntry } from "../api.ts";
import type { AppContext, Unmount } from "../app-context.ts";
import { t } from "../i18n.ts";
import { remembered } from "../storage.ts";
import { linesPassed } from "../session/learner-lines.ts";
import { scoreBand } from "./attempt-parts.ts";
import { h, setChildren } from "./dom.ts";
import { icon } from "./icons.ts";
import { showApiError } from "./home-view.ts";

export function mountProgress(root: HTMLElement, app: AppContext): Unmount {
  const learner = remembered.learner();
  const heading = h("h1", { text: t("progressTitle") });
  if (!learner) {
    setChildren(root, heading, h("p", { class: "card", text: t("signInFirst") }), h("a", { class: "button button--primary", href: "#/", text: t("backToLessons") }));
    return () => {};
  }
  setChildren(root, heading, h("p", { text: t("loading") }));
  let disposed = false;
  app.api.myProgress(learner.token).then(async ({ progress }) => {
    // Each lesson's roles and lines, to count the learner's lines the way the lesson itself does.
    const lessons = await Promise.all(progress.map((entry) => app.api.lesson(entry.lessonId).catch(() => null)));
    if (disposed) return;
    const done = progress.filter((entry) => entry.completedAt !== null);
    setChildren(root,
      heading,
      h("p", { class: "progress-summary", dataset: { lessonsDone: done.length }, text: t("lessonsDone", { count: done.length }) }),
      progress.length === 0
        ? h("p", { class: "card", text: t("noProgress") })
        : h("ul", { class: "progress-list" }, progress.map((entry, index) => progressCard(entry, lessons[index]))),
      h("a", { class: "button", href: "#/", text: t("backToLessons") }));
  }, (error) => {
    if (!disposed) showApiError(app, error);
  });
  return () => {
    disposed = true;
  };
}

/** `lesson`: null when it is no longer offered (its lines cannot be counted against it then). */
function progressCard(entry: ProgressEntry, lesson: LessonDetails | null): HTMLElement {
  const complete = entry.completedAt !== null;
  const lines = lesson ? linesPassed(lesson.steps, lesson.learnerRole, entry.completedSteps) : null;
  return h("li", { class: `card progress-card${complete ? " progress-card--done" : ""}`, dataset: { lessonId: entry.lessonId } },
    h("div", { class: "progress-card__head" },
      h("h2", { text: entry.title }),
      h("span", { class: `badge ${complete ? "badge--scored" : "badge--evaluating"}` }, complete ? icon("check") : null, complete ? t("completed") : t("inProgress"))),
    h("dl", { class: "stat-grid" },
      stat(t("bestScore"), h("span", { class: `score-chip ${scoreBand(entry.bestScore)}`, text: String(entry.bestScore), dataset: { bestScore: entry.bestScore } })),
      stat(t("linesDone"), h("span", { dataset: { linesDone: "" }, text: lines ? t("countOf", lines) : String(entry.completedSteps.length) })),
      stat(t("attempts"), String(entry.attemptsCount)),
      stat(t("hintsUsed"), String(entry.hintsUsed))));
}

function stat(label: string, value: string | HTMLElement): HTMLElement {
  return h("div", { class: "stat" }, h("dt", { text: label }), h("dd", {}, value));
}
