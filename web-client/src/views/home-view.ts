/** The learner's front door: choose a course (which also sets the UI language), a name and a lesson. */
import type { LessonSummary, PackSummary, ProgressEntry } from "../api.ts";
import type { AppContext, Unmount } from "../app-context.ts";
import { languageForPack, setLanguage, t, levelLabel } from "../i18n.ts";
import { remembered } from "../storage.ts";
import { errorCodeOf, errorText } from "../error-text.ts";
import { h, setChildren } from "./dom.ts";

const PACK_LABEL: Record<string, "packKoEn" | "packKoId"> = { "ko-en": "packKoEn", "ko-id": "packKoId" };

export function mountHome(root: HTMLElement, app: AppContext): Unmount {
  let packs: PackSummary[] = [];
  let lessons: LessonSummary[] = [];
  let busyLesson: string | null = null;
  let disposed = false;
  let progress = new Map<string, ProgressEntry>();
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
                h("span", { text: t("lessonLines", { count: lesson.stepCount }) }), " ",
                lessonProgress(lesson)),
              h("p", { class: "lesson-card__summary", text: lesson.summary })),
            h("button", {
              type: "button", class: "button button--primary", disabled: busyLesson !== null,
              attrs: { "aria-describedby": `lesson-${lesson.id}`, "aria-busy": busyLesson === lesson.id ? "true" : null },
              text: busyLesson === lesson.id ? t("loading") : t("startLesson"),
              on: { click: () => void openLesson(lesson) },
            }))))));
  }

  /** Done with the best score, or how far the learner got. */
  function lessonProgress(lesson: LessonSummary): HTMLElement | null {
    const entry = progress.get(lesson.id);
    if (!entry) return null;
    if (entry.completedAt) {
      return h("span", { class: "badge badge--done", dataset: { progress: "done" } }, `${t("lessonDone")} · ${t("lessonBest", { score: entry.bestScore })}`);
    }
    return h("span", { class: "badge badge--partial", dataset: { progress: "partial" } }, t("lessonProgress", { done: entry.completedSteps.length, total: learnerLines(entry) }));
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

  function learnerLines(entry: ProgressEntry): number {
    return entry.learnerStepCount ?? entry.stepCount;
  }

  function choosePack(pack: PackSummary): void {
    remembered.setPack(pack.id);
    setLanguage(languageForPack(pack.learnerLanguage));
    app.refreshChrome();
    render();
    root.querySelector<HTMLInputElement>(`input[value="${pack.id}"]`)?.focus();
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
      if (!current || current.user.displayName !== name) remembered.setLearner(await app.api.guest(name));
      app.navigate(`#/lesson/${encodeURIComponent(lesson.id)}`);
    } catch (error) {
      busyLesson = null;
      render();
      showApiError(app, error);
    }
  }

  render();
  const signedIn = remembered.learner();
  if (signedIn) {
    app.api.myProgress(signedIn.token).then(({ progress: entries }) => {
      if (disposed) return;
      progress = new Map(entries.map((entry) => [entry.lessonId, entry]));
      render();
    }, () => {});
    app.api.mySounds(signedIn.token).then((sounds) => {
      if (disposed) return;
      streakDays = sounds.streakDays;
      render();
    }, () => {});
  }
  app.api.lessons().then((catalog) => {
    if (disposed) return;
    packs = catalog.packs;
    lessons = catalog.lessons;
    const pack = packs.find((candidate) => candidate.id === selectedPack());
    if (pack) setLanguage(languageForPack(pack.learnerLanguage));
    app.refreshChrome();
    render();
  }, (error) => showApiError(app, error));
  return () => {
    disposed = true;
  };
}

export function showApiError(app: AppContext, error: unknown): void {
  const code = errorCodeOf(error);
  app.toasts.error(errorText(code), code);
}
