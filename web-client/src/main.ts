/**
 * KOTO Live web client: the learner app and, under #/tutor, the tutor console. Hash routes keep
 * every page working whether the server mounts the bundle at /koto/ or at /.
 */
import "@fontsource/noto-sans-kr/400.css";
import "@fontsource/noto-sans-kr/700.css";
import "./styles.css";
import { ApiClient, resolveApiBase } from "./api.ts";
import type { AppContext, Unmount } from "./app-context.ts";
import { languageForPack, setLanguage, t } from "./i18n.ts";
import { remembered } from "./storage.ts";
import { h, setChildren } from "./views/dom.ts";
import { mountHome } from "./views/home-view.ts";
import { mountLesson } from "./views/lesson/lesson-view.ts";
import { mountProgress } from "./views/progress-view.ts";
import { mountSounds } from "./views/sounds-view.ts";
import { Toasts } from "./views/toasts.ts";
import { mountTutorHome } from "./views/tutor/tutor-home-view.ts";
import { mountTutorSession } from "./views/tutor/tutor-session-view.ts";

type Route =
  | { name: "home" }
  | { name: "lesson"; lessonId: string }
  | { name: "progress" }
  | { name: "sounds" }
  | { name: "tutor" }
  | { name: "tutor-session"; roomId: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "lesson" && parts[1]) return { name: "lesson", lessonId: parts[1] };
  if (parts[0] === "progress") return { name: "progress" };
  if (parts[0] === "sounds") return { name: "sounds" };
  if (parts[0] === "tutor" && parts[1] === "session" && parts[2]) return { name: "tutor-session", roomId: parts[2] };
  if (parts[0] === "tutor") return { name: "tutor" };
  return { name: "home" };
}

async function start(): Promise<void> {
  setLanguage(remembered.pack() === "ko-id" ? languageForPack("id") : "en");
  const toasts = new Toasts();
  const nav = h("nav", { class: "site-nav", attrs: { "aria-label": "KOTO Live" } });
  const main = h("main", { id: "content", class: "page", tabIndex: -1 });
  const skip = h("a", { class: "skip-link", href: "#content" });
  skip.addEventListener("click", (event) => {
    event.preventDefault();
    main.focus();
  });
  const header = h("header", { class: "site-header" },
    h("a", { class: "brand", href: "#/" }, h("span", { class: "brand__mark", attrs: { "aria-hidden": "true" }, text: "말" }), h("span", { text: "KOTO Live" })),
    nav);
  setChildren(document.body, skip, header, main, toasts.element);

  const endpoint = await resolveApiBase(window.location, remembered.storage());
  let current: Unmount | null = null;
  let routeName = "";

  const drawChrome = () => {
    skip.textContent = t("skipToContent");
    const link = (href: string, label: string, active: boolean) => h("a", { href, text: label, attrs: { "aria-current": active ? "page" : null } });
    setChildren(nav,
      link("#/", t("navPractice"), routeName === "home" || routeName === "lesson"),
      link("#/progress", t("navProgress"), routeName === "progress"),
      link("#/sounds", t("navSounds"), routeName === "sounds"),
      link("#/tutor", t("navTutor"), routeName.startsWith("tutor")));
  };

  const app: AppContext = {
    api: new ApiClient(endpoint),
    endpoint,
    toasts,
    navigate: (hash) => {
      if (window.location.hash === hash) void show();
      else window.location.hash = hash;
    },
    refreshChrome: drawChrome,
  };

  let showing = Promise.resolve();
  const show = () => (showing = showing.then(async () => {
    const route = parseRoute(window.location.hash);
    if (current) await Promise.resolve(current()).catch(() => {});
    current = null;
    routeName = route.name;
    document.body.dataset.route = route.name;
    main.replaceChildren();
    drawChrome();
    switch (route.name) {
      case "home": current = mountHome(main, app); break;
      case "lesson": current = mountLesson(main, app, route.lessonId); break;
      case "progress": current = mountProgress(main, app); break;
      case "sounds": current = mountSounds(main, app); break;
      case "tutor": current = mountTutorHome(main, app); break;
      case "tutor-session": current = mountTutorSession(main, app, route.roomId); break;
    }
    document.title = `KOTO Live — ${route.name.startsWith("tutor") ? t("navTutor") : route.name === "progress" ? t("navProgress") : t("navPractice")}`;
  }));
  window.addEventListener("hashchange", () => void show());
  // Leaving the page is a consented leave: the seat is freed at once rather than held for a reconnect.
  window.addEventListener("pagehide", () => {
    if (current && routeName !== "lesson") void current();
  });
  await show();
}

void start();
