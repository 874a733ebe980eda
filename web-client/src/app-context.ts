/** What every view gets: the API, where the rooms are, the notices and navigation. */
import type { ApiClient } from "./api.ts";
import type { Toasts } from "./views/toasts.ts";

export interface AppContext {
  api: ApiClient;
  /** Base URL of the HTTP API and of the Colyseus endpoint (the same server). */
  endpoint: string;
  toasts: Toasts;
  navigate(hash: string): void;
  /** Re-draws the page chrome (navigation) after the UI language changed. */
  refreshChrome(): void;
}

/** A mounted view: call to take it down when navigating away. */
export type Unmount = () => void | Promise<void>;
