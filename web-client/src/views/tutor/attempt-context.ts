/**
 * Who gave an answer on the dashboard's lists and what they were asked to say. The attempts API
 * names the learner and the lesson; the line comes from the lesson, fetched once per lesson when an
 * attempt first needs it. What cannot be found is said so, never an id.
 */
import type { ApiClient, FailedAttempt, LessonDetails } from "../../api.ts";
import { t } from "../../i18n.ts";
import { h } from "../dom.ts";
import { fillNameSlot } from "../../../../server/content/name-slot.ts";
import { tutorFailureText } from "./tutor-failure.ts";
import { dayAndTime } from "./tutor-labels.ts";

export interface AttemptContext {
  /** null when the learner's account no longer exists. */
  learnerName: string | null;
  lessonTitle: string;
  /** The line the learner was to say, their name in its `{name}` slot; "" when the lesson is not known. */
  line: string;
}

export class AttemptDirectory {
  private readonly lessons = new Map<string, LessonDetails>();
  private readonly lessonsLoading = new Map<string, Promise<void>>();

  constructor(private readonly api: ApiClient) {}

  /** Fetches the lessons these attempts need that are not known yet; a failed fetch is tried again next time. */
  async prepare(attempts: readonly FailedAttempt[]): Promise<void> {
    const lessonIds = [...new Set(attempts.map((attempt) => attempt.lessonId))].filter((id) => !this.lessons.has(id));
    await Promise.all(lessonIds.map((id) => this.loadLesson(id)));
  }

  describe(attempt: FailedAttempt): AttemptContext {
    const lesson = this.lessons.get(attempt.lessonId);
    const korean = lesson?.steps.find((step) => step.index === attempt.step)?.korean ?? "";
    return {
      learnerName: attempt.learnerName,
      lessonTitle: attempt.lessonTitle,
      line: attempt.learnerName ? fillNameSlot(korean, attempt.learnerName) : korean,
    };
  }

  private loadLesson(id: string): Promise<void> {
    let loading = this.lessonsLoading.get(id);
    if (!loading) {
      loading = this.api.lesson(id).then((lesson) => {
        this.lessons.set(id, lesson);
      }, () => {}).finally(() => this.lessonsLoading.delete(id));
      this.lessonsLoading.set(id, loading);
    }
    return loading;
  }
}

/**
 * The text of a dashboard row, for a tutor: the learner, the lesson and line number, the line they
 * were to say, and why the answer is on this list in a tutor's words.
 */
export function attemptSummary(attempt: FailedAttempt, context: AttemptContext): HTMLElement {
  const why = tutorFailureText(attempt);
  return h("div", { class: "session-card__text" },
    h("h3", { class: "session-card__learner", dataset: { learnerId: attempt.learnerId }, text: context.learnerName ?? t("learnerUnknown") }),
    h("p", { class: "session-card__lesson", text: `${context.lessonTitle} · ${t("step")} ${attempt.step + 1} · ${dayAndTime(attempt.createdAt)}` }),
    context.line ? h("p", { class: "session-card__line", attrs: { lang: "ko" }, text: context.line }) : null,
    why ? h("p", { class: "hint-text session-card__why", text: why }) : null);
}
