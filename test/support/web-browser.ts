/** The browser tests' shared set-up: the web client built as `npm start` serves it, and a headless Chromium. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import type { KotoServer } from "../../server/app.ts";
import { startTestServer } from "./koto-test-server.ts";

const repository = fileURLToPath(new URL("../../", import.meta.url));

/** Headless, and nothing that talks to the network behind the test's back. */
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Builds web-client/dist from the sources under test (a stale build would test old code). */
export function buildWebClient(): void {
  execFileSync(process.execPath, [join(repository, "node_modules/vite/bin/vite.js"), "build", "--config", "web-client/vite.config.ts", "--logLevel", "error"], { cwd: repository, stdio: "pipe" });
}

/** Debian's Chromium (bash .ci/run installs it). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
}

/**
 * One server and one Chromium for the calling suite's tests: registers its `before` (the web client
 * built, a test server with the embedded defaults, Chromium) and `after` (whichever of the two
 * started), and sets the suite's timeouts (a browser test waits on real pages). The returned object
 * is filled in by `before`.
 */
export function useServerAndBrowser(suite: Mocha.Suite): { server: KotoServer; browser: Browser } {
  const shared = {} as { server: KotoServer; browser: Browser };
  suite.timeout(180_000);
  before(async function () {
    this.timeout(300_000);
    buildWebClient();
    shared.server = await startTestServer();
    shared.browser = await launchChromium();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}
