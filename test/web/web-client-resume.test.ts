/**
 * The learner app in Chromium when its server process restarts (`pm2 reload` of one instance):
 * the server drains, the app shows one "reconnecting" notice, resumes the session on the new
 * process and carries on at the same line, without a reload.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildWebClient, launchChromium } from "../support/web-browser.ts";
import type { KotoServer } from "../../server/app.ts";
import { startTestServer } from "../support/koto-test-server.ts";
import { freePort } from "../support/processes.ts";

const LESSON = "ko-en-03-directions";

interface LiveLessonRoom {
  state: { currentStep: number; steps: { accepted: string[] }[] };
}

describe("Web client when its server process restarts", function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: KotoServer | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "koto-web-resume-"));
  let port: number;

  const start = async () => {
    server = await startTestServer({ dataDir, env: { PORT: String(port), RECONNECT_WINDOW_SECONDS: "10" } });
    return server;
  };
  const lineToSay = (roomId: string) => {
    const room = server!.liveRooms.get(roomId) as unknown as LiveLessonRoom;
    return room.state.steps[room.state.currentStep].accepted[0];
  };
  const typeAnswer = async (page: Page, text: string) => {
    await page.locator("#typed-answer").fill(text);
    await page.locator(".typed-answer button[type=submit]").click();
  };

  before(async () => {
    buildWebClient();
    port = await freePort();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows one reconnecting notice, resumes the session on the new process and carries on at the same line", async () => {
    await start();
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(`http://127.0.0.1:${port}/koto/`);
    await page.locator('input[name="pack"][value="ko-en"]').check();
    await page.getByRole("textbox", { name: "2. Your name" }).fill("Sari");
    await page.locator(`[data-lesson-id="${LESSON}"] button`).click();
    await page.locator('[data-action="start"]').click();
    await page.waitForSelector('.turn[data-my-turn="true"]');
    const roomId = (await page.locator(".lesson").getAttribute("data-room-id"))!;
    await typeAnswer(page, lineToSay(roomId));
    await page.waitForSelector(".bubble--own");
    const step = await page.waitForFunction(() => {
      const turn = document.querySelector<HTMLElement>('.turn[data-my-turn="true"]');
      return turn && turn.dataset.step !== "0" ? turn.dataset.step : null;
    }).then((handle) => handle.jsonValue());
    await page.evaluate(() => {
      const pill = document.querySelector<HTMLElement>(".status-pill")!;
      const history: string[] = [pill.dataset.connection!];
      (window as any).__history = history;
      new MutationObserver(() => history.push(pill.dataset.connection!)).observe(pill, { attributes: true, attributeFilter: ["data-connection"] });
    });

    // SIGTERM's path in-process: drain (server-draining, then close with "session moving"), stop.
    await server!.close();
    server = undefined;
    await page.waitForSelector('.status-pill[data-connection="reconnecting"]');
    // An answer sent while there is no server is not dropped silently: the learner is told, and the text stays.
    await typeAnswer(page, "안녕하세요");
    await page.waitForSelector('.toast[data-code="NOT_SENT"]');
    assert.equal(await page.locator("#typed-answer").inputValue(), "안녕하세요", "the answer is still in the box");
    await page.locator("#typed-answer").fill("");
    await start();

    await page.waitForSelector('.status-pill[data-connection="reconnected"]', { timeout: 60_000 });
    const history: string[] = await page.evaluate(() => (window as any).__history);
    assert.deepEqual(history.filter((state) => state === "reconnecting").length, 1, `one notice: ${history.join(" → ")}`);
    assert.ok(!history.includes("lost") && !history.includes("ended"), history.join(" → "));
    assert.equal(await page.locator(".lesson").getAttribute("data-room-id"), roomId, "the same session");
    assert.equal(await page.locator('.turn[data-my-turn="true"]').getAttribute("data-step"), step, "the same line");
    assert.equal(await page.locator(".bubble--own").count(), 1, "the earlier answer is still listed");

    // And the lesson goes on in the resumed session.
    await typeAnswer(page, lineToSay(roomId));
    await page.waitForSelector(".bubble--own >> nth=1");
    assert.deepEqual(problems, []);
    await context.close();
  });
});
