/**
 * A learner's line counts in Chromium against a real server: the lesson list, the turn panel, the
 * progress page and the end-of-lesson recap all count the learner's own lines (4 of the greetings'
 * 8), and the recap counts the lines said in this session, earlier visits included, a finished
 * run's passes not.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { useServerAndBrowser } from "../support/web-browser.ts";
import { baseUrl } from "../support/koto-test-server.ts";

const LESSON = "ko-en-01-greetings";
const LINES = ["안녕하세요. 저는 미나예요.", "저도 반가워요. 저는 미국 사람이에요.", "네, 학생이에요. 한국어를 공부해요.", "감사합니다. 앞으로 잘 부탁드려요."];
const WAIT_MS = 30_000;

describe("Web client: a learner's line counts agree everywhere", function () {
  const env = useServerAndBrowser(this);

  const lesson = (page: Page) => page.locator(`[data-lesson-id="${LESSON}"]`);
  const lineCount = (page: Page) => page.locator('[data-role="line-count"]').innerText();

  /** `onHome`: the lesson list is open already (with the name typed into it). */
  async function openLesson(page: Page, onHome = false): Promise<void> {
    if (!onHome) await page.goto(`${baseUrl(env.server)}/koto/#/`);
    await lesson(page).locator("button").click();
    await page.locator('[data-action="start"]').click();
    await page.waitForSelector('.turn[data-my-turn="true"]', { timeout: WAIT_MS });
  }

  /** Types an answer to the learner's `line`-th line (from 0); a wrong one is gone past with "Go on". */
  async function answer(page: Page, line: number, right: boolean): Promise<void> {
    const step = 2 * line + 1;
    await page.waitForSelector(`.turn[data-my-turn="true"][data-step="${step}"]`, { timeout: WAIT_MS });
    assert.equal(await lineCount(page), `Line ${line + 1} of 4`);
    await page.locator("#typed-answer").fill(right ? LINES[line] : "아");
    await page.locator(".typed-answer button[type=submit]").click();
    if (!right) await page.locator('.result-card [data-action="go-on"]').click();
    await page.waitForFunction((step) => Number(document.querySelector<HTMLElement>(".lesson")?.dataset.currentStep) > step, step, { timeout: WAIT_MS });
  }

  async function recap(page: Page): Promise<string> {
    await page.waitForSelector(".finished:not([hidden]) .recap", { timeout: WAIT_MS });
    return page.locator(".finished").innerText();
  }

  it("counts the learner's own lines on the lesson list, the turn panel, the progress page and the recap", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));

    // The lesson list counts the lines the learner says; while it learns them, a name being typed keeps its caret.
    let releaseLessons!: () => void;
    const lessonsHeld = new Promise<void>((resolve) => (releaseLessons = resolve));
    await page.route(/\/api\/lessons\/[^/?]+$/, async (route) => {
      await lessonsHeld;
      await route.continue();
    });
    await page.goto(`${baseUrl(env.server)}/koto/`);
    await page.locator(`${'[data-lesson-id="ko-en-02-cafe"]'} button`).waitFor();
    await page.locator("#learner-name").focus();
    await page.keyboard.type("Mi");
    releaseLessons();
    await lesson(page).locator('[data-lines="count"]').waitFor({ timeout: WAIT_MS });
    await page.keyboard.type("na");
    assert.equal(await page.locator("#learner-name").inputValue(), "Mina", "the name field kept focus while the counts arrived");
    assert.equal(await lesson(page).locator('[data-lines="count"]').innerText(), "4 lines", "the greetings have 8 lines, 4 of them the learner's");
    assert.equal(await page.locator('[data-lesson-id="ko-en-02-cafe"] [data-lines="count"]').innerText(), "5 lines");
    await page.unroute(/\/api\/lessons\/[^/?]+$/);

    // First visit: one line right, one wrong and gone past, then the learner leaves.
    await openLesson(page, true);
    await answer(page, 0, true);
    await answer(page, 1, false);
    await page.waitForSelector('.turn[data-my-turn="true"][data-step="5"]', { timeout: WAIT_MS });
    assert.equal(await lineCount(page), "Line 3 of 4");
    await page.locator("text=Leave lesson").click();
    const partial = lesson(page).locator('[data-progress="partial"]');
    await partial.waitFor({ timeout: WAIT_MS });
    assert.equal(await partial.innerText(), "1 of 4 lines");
    await page.goto(`${baseUrl(env.server)}/koto/#/progress`);
    assert.equal(await page.locator(`.progress-card[data-lesson-id="${LESSON}"] [data-lines-done]`).innerText(), "1 of 4");

    // Second visit resumes at line 3: the recap counts the line said on the first visit, not the one gone past.
    await openLesson(page);
    assert.equal(await lineCount(page), "Line 3 of 4");
    await answer(page, 2, true);
    await answer(page, 3, true);
    const finished = await recap(page);
    assert.match(finished, /Lines said: 3 of 4/);
    // The conversation's end with a line gone past is not the lesson completed: no star, and it says why.
    assert.match(finished, /You reached the end of the conversation/);
    assert.doesNotMatch(finished, /Lesson complete!/);
    assert.match(finished, /Pass every one of your lines to complete this lesson/);
    assert.doesNotMatch(finished, /Lines done/, "one count on the card, not two");
    assert.deepEqual(await page.locator(".bubble--own .tag").allInnerTexts(), ["done earlier", "skipped"]);
    await page.goto(`${baseUrl(env.server)}/koto/#/progress`);
    assert.equal(await page.locator(`.progress-card[data-lesson-id="${LESSON}"] [data-lines-done]`).innerText(), "3 of 4");
    await page.goto(`${baseUrl(env.server)}/koto/`);
    const notDone = lesson(page).locator('[data-progress="partial"]');
    await notDone.waitFor({ timeout: WAIT_MS });
    assert.equal(await notDone.innerText(), "3 of 4 lines", "the lesson list does not call it done");

    // A new run with every line wrong: the first run's passes are not this run's lines.
    await openLesson(page);
    for (const line of [0, 1, 2, 3]) await answer(page, line, false);
    assert.match(await recap(page), /Lines said: 0 of 4/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("keeps a learner's progress when they change their name, and drops the 'enter your name' error once they have", async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl(env.server)}/koto/`);
    await lesson(page).locator("button").waitFor();
    // No name yet: the error, then the name typed and the lesson opened: the error goes.
    await lesson(page).locator("button").click();
    await page.locator('.toast--error[data-code="NAME_REQUIRED"]').waitFor({ timeout: WAIT_MS });
    // A name the server refuses says what a name may hold, and the lesson does not open.
    await page.locator("#learner-name").fill("Mina <3");
    await lesson(page).locator("button").click();
    const refused = page.locator('.toast--error[data-code="NAME_INVALID"]');
    await refused.waitFor({ timeout: WAIT_MS });
    assert.match((await refused.textContent()) ?? "", /40 characters/);
    assert.equal(await page.locator(".lesson").count(), 0, "still on the lesson list");
    await page.locator("#learner-name").fill("Mina");
    await openLesson(page, true);
    // A dismissed notice fades out for 200 ms before it leaves the page: counted are the ones still shown.
    assert.equal(await page.locator(".toast--error:not(.toast--leaving)").count(), 0, "no stale error over the lesson");
    await answer(page, 0, true);
    await page.locator("text=Leave lesson").click();
    await lesson(page).locator('[data-progress="partial"]').waitFor({ timeout: WAIT_MS });
    const learnerOf = () => page.evaluate(() => JSON.parse(localStorage.getItem("koto.learner") ?? "null")?.user as { id: string; displayName: string; role: string });
    const before = await learnerOf();

    // A new name is the same learner renamed: the lesson list still shows their line passed.
    await page.locator("#learner-name").fill("Mina K");
    await openLesson(page, true);
    await page.locator("text=Leave lesson").click();
    const partial = lesson(page).locator('[data-progress="partial"]');
    await partial.waitFor({ timeout: WAIT_MS });
    assert.equal(await partial.innerText(), "1 of 4 lines");
    assert.deepEqual(await learnerOf(), { id: before.id, displayName: "Mina K", role: "learner" });
    assert.match(await page.locator("#learner-name-hint").innerText(), /Practising as Mina K/);
    await context.close();
  });
});
