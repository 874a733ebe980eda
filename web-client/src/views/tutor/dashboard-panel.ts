/** A titled list on the tutor dashboard, hidden while it is empty (answers to grade, answers to evaluate again). */
import { t, type MessageKey } from "../../i18n.ts";
import { h } from "../dom.ts";

export function dashboardPanel(name: string, title: MessageKey, hint: MessageKey): { element: HTMLElement; list: HTMLUListElement } {
  const list = h("ul", { class: `session-list ${name}` });
  const element = h("section", { class: `${name}-panel`, hidden: true, attrs: { "aria-labelledby": `${name}-title` } },
    h("h2", { id: `${name}-title`, text: t(title) }),
    h("p", { class: "hint-text", text: t(hint) }),
    list);
  return { element, list };
}
