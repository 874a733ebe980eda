/**
 * "Your sounds": the jamo the scorer most often heard as something else across all the learner's
 * lessons (GET /api/learners/me/sounds), each with a short drill: lines they have met that carry
 * the sound, to hear (model audio) and then practise in their lesson.
 */
import type { LearnerSounds } from "../api.ts";
import type { AppContext, Unmount } from "../app-context.ts";
import { LinePlayer } from "../audio/line-player.ts";
import { jamoShown } from "../hangul.ts";
import { t } from "../i18n.ts";
import { remembered } from "../storage.ts";
import { h, setChildren } from "./dom.ts";
import { showApiError } from "./home-view.ts";
import { icon } from "./icons.ts";

export function mountSounds(root: HTMLElement, app: AppContext): Unmount {
  const learner = remembered.learner();
  const heading = h("h1", { text: t("soundsTitle") });
  if (!learner) {
    setChildren(root, heading, h("p", { class: "card", text: t("soundsSignIn") }), h("a", { class: "button button--primary", href: "#/", text: t("backToLessons") }));
    return () => {};
  }
  const player = new LinePlayer((url) => new URL(url, app.endpoint + "/").href);
  let disposed = false;
  setChildren(root, heading, h("p", { text: t("loading") }));
  app.api.mySounds(learner.token).then((sounds) => {
    if (disposed) return;
    setChildren(root, heading,
      h("p", { class: "streak", dataset: { streak: sounds.streakDays } }, sounds.streakDays > 0 ? t("streakDays", { count: sounds.streakDays }) : t("streakNone")),
      h("p", { class: "hint-text", text: t("soundsIntro") }),
      sounds.confusions.length === 0 ? h("p", { class: "card", text: t("soundsEmpty") })
        : h("ul", { class: "sound-list" }, sounds.confusions.map((confusion) => soundCard(confusion, player))),
      h("a", { class: "button", href: "#/", text: t("backToLessons") }));
  }, (error) => {
    if (!disposed) showApiError(app, error);
  });
  return () => {
    disposed = true;
    player.stop();
  };
}

function soundCard(confusion: LearnerSounds["confusions"][number], player: LinePlayer): HTMLElement {
  return h("li", { class: "card sound-card", dataset: { expected: confusion.expected, heard: confusion.heard } },
    h("h2", { class: "sound-card__pair", attrs: { lang: "ko" } },
      h("span", { class: "sound-card__jamo", text: jamoShown(confusion.expected) }), " → ", h("span", { class: "sound-card__jamo sound-card__jamo--heard", text: jamoShown(confusion.heard) })),
    h("p", { text: t("confusionTimes", { expected: jamoShown(confusion.expected), heard: jamoShown(confusion.heard), count: confusion.count }) }),
    h("ul", { class: "drill-list" }, confusion.drill.map((line) => h("li", { class: "drill-line" },
      h("span", { class: "drill-line__korean", attrs: { lang: "ko" }, text: line.korean }),
      h("button", {
        type: "button", class: "icon-button", attrs: { "aria-label": `${t("listen")}: ${line.korean}` },
        on: { click: () => player.playNow({ index: line.stepIndex, korean: line.korean, audioUrl: line.audioUrl ?? "" }) },
      }, icon("speaker")),
      h("a", { class: "button button--quiet", href: `#/lesson/${encodeURIComponent(line.lessonId)}`, text: t("drillOpen") })))));
}
