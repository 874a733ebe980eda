/** The learner's front door: choose a course (which also sets the UI language), a name and a lesson. */
import type { LessonDetails, LessonSummary, PackSummary, ProgressEntry } from "../api.ts";
import type { AppContext, Unmount } from "../app-context.ts";
import { languageForPack, setLanguage, t, levelLabel } from "../i18n.ts";
import { remembered } from "../storage.ts";
import { learnerLines, linesPassed } from "../session/learner-lines.ts";
import { errorCodeOf, errorText } from "../error-text.ts";
import { h, setChildren } from "./dom.ts";

const PACK_LABEL: Record<string, "packKoEn" | "packKoId"> = { "ko-en": "packKoEn", "ko-id": "packKoId" };

export function mountHome(root: HTMLElement, app: AppContext): Unmount {
  let packs: PackSummary[] = [];
  let lessons: LessonSummary[] = [];
  let busyLesson: string | null = null;
  let disposed = false;
  let progress = new Map<string, ProgressEntry>();
  /** Each shown lesson's roles and lines: what its line count and its "2 of 4 lines" count. */
  const details = new Map<string, LessonDetails>();
  let streakDays: number | null = null;
  const nameInput = h("input", {
    id: "learner-name", type: "text", autocomplete: "nickname", maxLength: 40, required: true,
    value: remembered.learner()?.user.displayName ?? "", attrs: { "aria-describedby": "learner-name-hint" },
  });

  const selectedPack = () => remembered.pack() && packs.some((pack) => pack.id === remembered.pack()) ? remembered.pack()! : packs[0]?.id ?? "ko-en";

  function render(): void {
    const pack = selectedPack();
    const signedIn = remembered.learner();
    setChildren(root,
      h("section", { class: "hero" },
        h("h1", { text: t("appName") }),
        h("p", { class: "hero__tagline", text: t("tagline") })),
      continueCard(),
      h("section", { class: "card setup-card", attrs: { "aria-labelledby": "pack-heading" } },
        h("h2", { id: "pack-heading", text: t("choosePack") }),
        h("div", { class: "pack-choice", attrs: { role: "radiogroup", "aria-labelledby": "pack-heading" } },
          packs.map((candidate) => h("label", { class: `pack-option${candidate.id === pack ? " pack-option--chosen" : ""}` },
            h("input", {
              type: "radio", name: "pack", value: candidate.id, checked: candidate.id === pack,
              on: { change: () => choosePack(candidate) },
            }),
            h("span", { class: "pack-option__code", text: candidate.id.toUpperCase() }),
            h("span", { class: "pack-option__title", text: PACK_LABEL[candidate.id] ? t(PACK_LABEL[candidate.id]) : candidate.title }))))),
      h("section", { class: "card setup-card", attrs: { "aria-labelledby": "name-heading" } },
        h("h2", { id: "name-heading" }, h("label", { htmlFor: "learner-name", text: t("yourName") })),
        nameInput,
        h("p", { id: "learner-name-hint", class: "hint-text", text: signedIn ? t("signedInAs", { name: signedIn.user.displayName }) : t("nameHint") })),
      h("section", { class: "card setup-card", attrs: { "aria-labelledby": "lesson-heading" } },
        h("h2", { id: "lesson-heading", text: t("chooseLesson") }),
        lessons.length === 0 ? h("p", { text: t("loading") }) : h("ul", { class: "lesson-list" },
          lessons.filter((lesson) => lesson.pack === pack).map((lesson) => h("li", { class: "lesson-card", dataset: { lessonId: lesson.id } },
            h("div", { class: "lesson-card__text" },
              h("h3", { id: `lesson-${lesson.id}`, text: lesson.title }),
              h("p", { class: "lesson-card__meta" },
                h("span", { class: "badge", text: levelLabel(lesson.level) }), " ",
                lineCount(lesson), " ",
                lessonProgress(lesson)),
              h("p", { class: "lesson-card__summary", text: lesson.summary })),
            h("button", {
              type: "button", class: "button button--primary", disabled: busyLesson !== null,
              attrs: { "aria-describedby": `lesson-${lesson.id}`, "aria-busy": busyLesson === lesson.id ? "true" : null },
              text: busyLesson === lesson.id ? t("loading") : t("startLesson"),
              on: { click: () => void openLesson(lesson) },
            }))))));
  }

  /** The lines the learner says in a lesson (their role's, not the whole dialogue), once the lesson is known. */
  function lineCount(lesson: LessonSummary): HTMLElement | null {
    const known = details.get(lesson.id);
    return known ? h("span", { dataset: { lines: "count" }, text: t("lessonLines", { count: learnerLines(known.steps, known.learnerRole).length }) }) : null;
  }

  /** Done with the best score, or how far the learner got. */
  function lessonProgress(lesson: LessonSummary): HTMLElement | null {
    const entry = progress.get(lesson.id);
    if (!entry) return null;
    if (entry.completedAt) {
      return h("span", { class: "badge badge--done", dataset: { progress: "done" } }, `${t("lessonDone")} · ${t("lessonBest", { score: entry.bestScore })}`);
    }
    const known = details.get(lesson.id);
    if (!known) return null;
    const lines = linesPassed(known.steps, known.learnerRole, entry.completedSteps);
    return h("span", { class: "badge badge--partial", dataset: { progress: "partial" } }, t("lessonProgress", lines));
  }

  /** The most recently practised unfinished lesson of this course, and the practice streak. */
  function continueCard(): HTMLElement | null {
    if (!remembered.learner()) return null;
    const pack = selectedPack();
    const unfinished = [...progress.values()]
      .filter((entry) => !entry.completedAt && entry.lessonId.startsWith(`${pack}-`) && (entry.attemptsCount > 0 || entry.currentStep > 0))
      .sort((a, b) => String(b.updatedAt ?? "").localeCompare(String(a.updatedAt ?? "")))[0];
    const streak = streakDays === null ? null
      : h("p", { class: "streak", dataset: { streak: streakDays } }, streakDays > 0 ? t("streakDays", { count: streakDays }) : t("streakNone"));
    if (!unfinished && !streak) return null;
    return h("section", { class: "card continue-card", attrs: { "aria-labelledby": "continue-heading" } },
      h("h2", { id: "continue-heading", text: t(unfinished ? "continueTitle" : "practiceTitle") }),
      streak,
      unfinished ? h("a", {
        class: "button button--primary", href: `#/lesson/${encodeURIComponent(unfinished.lessonId)}`, dataset: { action: "continue" },
        text: t("continueAction", { title: unfinished.title }),
      }) : null,
      h("a", { class: "button button--quiet", href: "#/sounds", text: t("navSounds") }));
  }

  function choosePack(pack: PackSummary): void {
    remembered.setPack(pack.id);
    setLanguage(languageForPack(pack.learnerLanguage));
    app.refreshChrome();
    render();
    root.querySelector<HTMLInputElement>(`input[value="${pack.id}"]`)?.focus();
    loadDetails();
  }

  /** Fetches the shown course's lessons not known yet, then draws their counts (focus stays where it was). */
  function loadDetails(): void {
    const pack = selectedPack();
    const wanted = lessons.filter((lesson) => lesson.pack === pack && !details.has(lesson.id));
    if (wanted.length === 0) return;
    void Promise.allSettled(wanted.map((lesson) => app.api.lesson(lesson.id).then((known) => details.set(lesson.id, known)))).then(() => {
      if (!disposed) renderKeepingFocus();
    });
  }

  /**
   * Draws the page again for data that arrived on its own, leaving the learner where they were: the
   * page is rebuilt, and moving the name field blurs it, so a name being typed would lose the caret.
   */
  function renderKeepingFocus(): void {
    const active = document.activeElement;
    const caret = active === nameInput ? [nameInput.selectionStart, nameInput.selectionEnd] as const : null;
    const pack = active instanceof HTMLInputElement && active.name === "pack" ? active.value : null;
    const lessonId = active instanceof HTMLButtonElement ? active.closest<HTMLElement>("[data-lesson-id]")?.dataset.lessonId : undefined;
    render();
    if (caret) {
      nameInput.focus();
      nameInput.setSelectionRange(caret[0], caret[1]);
    } else if (pack) {
      root.querySelector<HTMLInputElement>(`input[name="pack"][value="${CSS.escape(pack)}"]`)?.focus();
    } else if (lessonId) {
      root.querySelector<HTMLButtonElement>(`[data-lesson-id="${CSS.escape(lessonId)}"] button`)?.focus();
    }
  }

  /**
   * A new name is the same learner renamed, so their progress and streak stay with them; only a
   * token the server no longer takes (expired, or a learner it does not know) starts a new guest.
   */
  async function renamed(token: string, name: string) {
    try {
      return await app.api.rename(token, name);
    } catch (error) {
      if (errorCodeOf(error).startsWith("AUTH_TOKEN_")) return app.api.guest(name);
      throw error;
    }
  }

  async function openLesson(lesson: LessonSummary): Promise<void> {
    const name = nameInput.value.trim();
    if (!name) {
      app.toasts.error(errorText("NAME_REQUIRED"), "NAME_REQUIRED");
      nameInput.focus();
      return;
    }
    busyLesson = lesson.id;
    render();
    try {
      const current = remembered.learner();
      if (!current) remembered.setLearner(await app.api.guest(name));
      else if (current.user.displayName !== name) remembered.setLearner(await renamed(current.token, name));
      // A "enter your name first" from before the name was typed no longer applies.
      app.toasts.dismissErrors();
      app.navigate(`#/lesson/${encodeURIComponent(lesson.id)}`);
    } catch (error) {
      busyLesson = null;
      render();
      // The name is the only thing this form sends: a refused body is a refused name, and the
      // learner is told what a name may hold rather than that "some data was not valid".
      if (errorCodeOf(error) === "BODY_INVALID") {
        app.toasts.error(errorText("NAME_INVALID"), "NAME_INVALID");
        nameInput.focus();
      } else {
        showApiError(app, error);
      }
    }
  }

  render();
  const signedIn = remembered.learner();
  if (signedIn) {
    app.api.myProgress(signedIn.token).then(({ progress: entries }) => {
      if (disposed) return;
      progress = new Map(entries.map((entry) => [entry.lessonId, entry]));
      renderKeepingFocus();
    }, () => {});
    app.api.mySounds(signedIn.token).then((sounds) => {
      if (disposed) return;
      streakDays = sounds.streakDays;
      renderKeepingFocus();
    }, () => {});
  }
  app.api.lessons().then((catalog) => {
    if (disposed) return;
    packs = catalog.packs;
    lessons = catalog.lessons;
    const pack = packs.find((candidate) => candidate.id === selectedPack());
    if (pack) setLanguage(languageForPack(pack.learnerLanguage));
    app.refreshChrome();
    renderKeepingFocus();
    loadDetails();
  }, (error) => showApiError(app, error));
  return () => {
    disposed = true;
  };
}

export function showApiError(app: AppContext, error: unknown): void {
  const code = errorCodeOf(error);
  app.toasts.error(errorText(code), code);
}
