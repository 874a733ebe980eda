/**
 * The tutor console in Chromium while the server process under a session restarts: a real
 * `server/main.ts` on one DATA_DIR is stopped (SIGTERM: drain; then kill -9 while the learner is
 * speaking) and started again on the same port. The tutor page must show the real state
 * throughout — one friendly "reconnecting" notice, no learner left "speaking" by a process that is
 * gone, no code on screen — rejoin the resumed session, and still grade the learner's next answer.
 * When the learner is not back first, the tutor's page resumes the session itself. The learner is
 * an SDK client resuming as the web app does (`create` with `resume`, then join by id if it is open).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@colyseus/sdk";
import type { Browser, Page } from "playwright-core";
import { buildWebClient, launchChromium } from "../support/web-browser.ts";
import type { LessonState } from "../../schema/index.ts";
import { hashPassword } from "../../server/auth/passwords.ts";
import { openStore } from "../../server/store/open-store.ts";
import { waitForState } from "../support/koto-test-server.ts";
import { axeViolations } from "../support/axe.ts";
import { freePort, startKotoProcess, stopAll, waitFor, type KotoProcess } from "../support/processes.ts";
import { greeting, LESSON, openUtterance, pcmFrames, signInGuest, stream, type LessonRoom } from "../support/cluster.ts";

const repository = fileURLToPath(new URL("../../", import.meta.url));
const screenshots = join(repository, "test-results");
const TUTOR_EMAIL = "teacher@koto.test";
const TUTOR_PASSWORD = "correct horse battery";
/** A start after kill -9 first waits out the dead process's data-directory lock (15 s); the machine is shared. */
const START_TIMEOUT_MS = 150_000;
/** A code as the server or a socket would word it: ROOM_NOT_FOUND, SESSION_LIVE, 4212, 1006. */
const RAW_CODE = /\b[A-Z]{2,}_[A-Z_]{2,}\b|\b(?:1\d{3}|4\d{3})\b/;


/** What the learner's app does after its process stopped: resume the session under the same id. */
function resume(baseUrl: string, token: string, sessionId: string): Promise<LessonRoom> {
  return waitFor(async () => {
    const client = new Client(baseUrl);
    try {
      return await client.create<LessonState>("lesson", { lessonId: LESSON, token, platform: "web", resume: sessionId });
    } catch (error) {
      // Someone (the tutor) resumed it first: take the seat in it.
      if (/^SESSION_(LIVE|RESUMING):/.test((error as Error).message)) return client.joinById<LessonState>(sessionId, { token, platform: "web" });
      throw error;
    }
  }, "the learner to resume the session", 60_000, 250);
}

describe("Tutor console in Chromium when the server process restarts", function () {
  this.timeout(300_000);
  let browser: Browser;
  let dataDir: string;
  let port: number;
  let server: KotoProcess | undefined;

  const start = async () => {
    server = await startKotoProcess({
      DATA_DIR: dataDir, STT_PROVIDER: "none", SERVE_WEB_CLIENT: "true", RECONNECT_WINDOW_SECONDS: "10", DRAIN_DEADLINE_SECONDS: "3",
    }, port, START_TIMEOUT_MS);
    return server;
  };
  const stop = async (signal: NodeJS.Signals) => {
    const stopping = server!;
    server = undefined;
    stopping.child.kill(signal);
    await stopping.exited;
  };

  before(async function () {
    this.timeout(300_000);
    buildWebClient();
    mkdirSync(screenshots, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), "koto-tutor-restart-"));
    const store = await openStore({ dataDir });
    try {
      await store.createTutor(TUTOR_EMAIL, "Teacher Kim", await hashPassword(TUTOR_PASSWORD, 4));
    } finally {
      await store.close();
    }
    port = await freePort();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stopAll();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Records every connection state the status pill shows and every toast, from now on. */
  const watch = (page: Page) => page.evaluate(() => {
    const pill = document.querySelector<HTMLElement>(".tutor-session .status-pill")!;
    const seen = { states: [pill.dataset.connection!], toasts: [] as string[] };
    (window as any).__seen = seen;
    new MutationObserver(() => {
      if (seen.states.at(-1) !== pill.dataset.connection) seen.states.push(pill.dataset.connection!);
    }).observe(pill, { attributes: true, attributeFilter: ["data-connection"] });
    new MutationObserver((records) => {
      for (const record of records) for (const node of Array.from(record.addedNodes)) {
        if (node instanceof HTMLElement && node.classList.contains("toast")) seen.toasts.push(node.innerText);
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  const seen = (page: Page): Promise<{ states: string[]; toasts: string[] }> => page.evaluate(() => (window as any).__seen);

  /** The learner speaks the start of the line and keeps the mic open: the tutor sees "speaking". */
  const startSpeaking = async (room: LessonRoom, page: Page): Promise<string> => {
    const attemptId = await openUtterance(room);
    // The first 2 s of speech and less than the trailing silence that ends it, so "speaking" stays on.
    await stream(room, pcmFrames(greeting().samples.subarray(0, 32_000)));
    await page.locator('.learner-card [data-speaking="true"]').waitFor({ timeout: 30_000 });
    return attemptId;
  };

  /** A whole spoken answer; with no speech-to-text it waits for the tutor, who passes it with one tap. */
  const answerAndGetGraded = async (room: LessonRoom, page: Page) => {
    const step = room.state.currentStep;
    const attemptId = await openUtterance(room);
    await stream(room, pcmFrames(greeting().samples));
    room.send("utterance-close");
    const item = page.locator(`.attempt[data-attempt-id="${attemptId}"][data-status="awaiting-tutor"]`);
    await item.waitFor({ timeout: 30_000 });
    await item.locator('[data-action="grade-pass"]').click();
    await waitForState(room, (state) => state.currentStep > step, "the learner to move on after the tutor's pass", 30_000);
    await page.locator(`.attempt[data-attempt-id="${attemptId}"][data-status="scored"] .label--correct`).waitFor();
  };

  /** What the tutor page must show once the session is back: the real, live state and no code. */
  const assertRealState = async (page: Page, learnerId: string, what: string) => {
    await page.locator(`.learner-card[data-learner-id="${learnerId}"] .presence--on`).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-speaking="true"]').count(), 0, `${what}: no ghost "speaking" learner`);
    assert.ok(await page.locator(".session-gone").isHidden(), `${what}: the session is live, not "gone"`);
    assert.equal(await page.locator(".tutor-session").getAttribute("data-phase"), "running");
    const text = await page.locator("body").innerText();
    assert.doesNotMatch(text, RAW_CODE, `${what}: no code on screen`);
    const { states, toasts } = await seen(page);
    assert.equal(states.filter((state) => state === "reconnecting").length, 1, `${what}: one notice (${states.join(" → ")})`);
    assert.ok(!states.some((state) => state === "lost" || state === "ended" || state === "failed"), `${what}: ${states.join(" → ")}`);
    assert.deepEqual(toasts, [], `${what}: no error toast`);
  };

  it("rejoins after SIGTERM and after kill -9: the real state, one notice, no ghost speaker, and the tutor still grades", async () => {
    await start();
    const baseUrl = `http://127.0.0.1:${port}`;
    const learner = await signInGuest(baseUrl, "Mina");
    let room = await new Client(baseUrl).create<LessonState>("lesson", { lessonId: LESSON, token: learner.token, platform: "web" });
    const sessionId = room.roomId;
    room.send("start");
    await waitForState(room, (state) => state.phase === "running", "the lesson to start");

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(`${baseUrl}/koto/#/tutor`);
    await page.getByLabel("Email").fill(TUTOR_EMAIL);
    await page.getByLabel("Password").fill(TUTOR_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(`.session-card[data-session-id="${sessionId}"]`).getByRole("link", { name: /Join/ }).click();
    await page.locator(`.learner-card[data-learner-id="${learner.userId}"] .presence--on`).waitFor();

    // 1. SIGTERM (pm2 reload, a deploy) while the learner speaks: the process drains and exits.
    await startSpeaking(room, page);
    await watch(page);
    room.onLeave(() => {});
    await stop("SIGTERM");
    await page.locator('.status-pill[data-connection="reconnecting"]').waitFor();
    // While no process holds the session, nobody is shown speaking.
    assert.equal(await page.locator('[data-speaking="true"]').count(), 0, "no ghost speaker while reconnecting");
    await page.screenshot({ path: join(screenshots, "tutor-restart-reconnecting.png"), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], "axe-core while reconnecting");
    await start();
    room = await resume(baseUrl, learner.token, sessionId);
    await page.locator('.status-pill:is([data-connection="reconnected"], [data-connection="connected"])').waitFor({ timeout: 60_000 });
    await assertRealState(page, learner.userId, "after SIGTERM");
    await page.screenshot({ path: join(screenshots, "tutor-restart-after-sigterm.png"), fullPage: true });
    await answerAndGetGraded(room, page);

    // 2. kill -9 (a crash) while the learner speaks: nothing drains, the next process restores the session.
    await page.locator('.status-pill[data-connection="connected"]').waitFor({ timeout: 15_000 });
    const cut = await startSpeaking(room, page);
    await watch(page);
    room.onLeave(() => {});
    await stop("SIGKILL");
    await page.locator('.status-pill[data-connection="reconnecting"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-speaking="true"]').count(), 0, "no ghost speaker while reconnecting after a crash");
    // Nor an answer "being listened to" by a process that is gone.
    await page.locator(`.attempt[data-attempt-id="${cut}"] .badge`, { hasText: "Waiting for the server" }).waitFor();
    assert.doesNotMatch(await page.locator(".timeline").innerText(), /Listening/);
    await start();
    room = await resume(baseUrl, learner.token, sessionId);
    await page.locator('.status-pill:is([data-connection="reconnected"], [data-connection="connected"])').waitFor({ timeout: 60_000 });
    await assertRealState(page, learner.userId, "after kill -9");
    // The answer cut by the crash is listed as such, in words.
    const interrupted = page.locator(`.attempt[data-attempt-id="${cut}"]`);
    await interrupted.waitFor();
    assert.notEqual(await interrupted.getAttribute("data-status"), "recording", "the cut answer is not shown as still recording");
    await page.screenshot({ path: join(screenshots, "tutor-restart-after-kill.png"), fullPage: true });
    await answerAndGetGraded(room, page);

    // 3. A restart after which the learner is not back (yet): the tutor resumes the session, sees
    // them disconnected, and sees them arrive when they do.
    await page.locator('.status-pill[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await watch(page);
    room.onLeave(() => {});
    await stop("SIGKILL");
    await start();
    await page.locator('.status-pill:is([data-connection="reconnected"], [data-connection="connected"])').waitFor({ timeout: 60_000 });
    await page.locator(`.learner-card[data-learner-id="${learner.userId}"] .presence--off`).waitFor({ timeout: 15_000 });
    assert.ok(await page.locator(".session-gone").isHidden(), "the session is live again, with its tutor");
    assert.doesNotMatch(await page.locator("body").innerText(), RAW_CODE);
    await page.screenshot({ path: join(screenshots, "tutor-restart-learner-away.png"), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], "axe-core with a learner away");
    room = await resume(baseUrl, learner.token, sessionId);
    await assertRealState(page, learner.userId, "after the learner came back");
    await answerAndGetGraded(room, page);

    assert.deepEqual(problems, []);
    await room.leave();
    await context.close();
  });
});
