/**
 * Non-blocking notices: server `error` messages, tutor hints, connection news. They are announced
 * through a live region and fade on their own; errors stay a little longer and can be dismissed.
 */
import { t } from "../i18n.ts";
import { h } from "./dom.ts";

export type ToastKind = "error" | "info" | "success";

export interface Toast {
  kind: ToastKind;
  title?: string;
  message: string;
  code?: string;
  timeoutMs?: number;
}

export class Toasts {
  readonly element: HTMLElement;
  private readonly polite: HTMLElement;
  private readonly assertive: HTMLElement;
  /** Error notices on screen, so a success can take back the errors it makes stale (a retried sign-in). */
  private readonly openErrors = new Set<() => void>();

  constructor() {
    this.polite = h("div", { class: "toasts__region", attrs: { "aria-live": "polite", role: "status" } });
    this.assertive = h("div", { class: "toasts__region", attrs: { "aria-live": "assertive", role: "alert" } });
    this.element = h("div", { class: "toasts" }, this.assertive, this.polite);
  }

  show(toast: Toast): HTMLElement {
    const close = () => {
      this.openErrors.delete(close);
      clearTimeout(timer);
      item.classList.add("toast--leaving");
      setTimeout(() => item.remove(), 200);
    };
    const item = h("div", { class: `toast toast--${toast.kind}`, dataset: { code: toast.code ?? "" } },
      h("div", { class: "toast__body" },
        toast.title ? h("strong", { class: "toast__title", text: toast.title }) : null,
        // The code stays out of sight (a data attribute for support and tests): people read the sentence.
        h("span", { class: "toast__message", text: toast.message })),
      h("button", { class: "toast__close", type: "button", attrs: { "aria-label": t("dismiss") }, text: "×", on: { click: close } }));
    (toast.kind === "error" ? this.assertive : this.polite).appendChild(item);
    const timer = setTimeout(close, toast.timeoutMs ?? (toast.kind === "error" ? 9000 : 5000));
    if (toast.kind === "error") this.openErrors.add(close);
    return item;
  }

  /** Takes every error notice off the screen (what they said no longer holds). */
  dismissErrors(): void {
    for (const close of [...this.openErrors]) close();
  }

  error(message: string, code?: string): HTMLElement {
    return this.show({ kind: "error", title: t("errorPrefix"), message, code });
  }

  info(message: string, title?: string): HTMLElement {
    return this.show({ kind: "info", message, title });
  }
}
