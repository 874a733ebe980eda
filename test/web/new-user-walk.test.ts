/**
 * What a new user's walk through the web client found, in Chromium against a real server: the tag on
 * the learner's own bubble ("done earlier", "sudah selesai sebelumnya") takes its own room and never
 * covers the speaker's name or the line, at 1280 and 360 px, in English and Indonesian; a session
 * that ended is shown as normal, not as an error; and a lesson link that does not exist says so in
 * the title, not "Loading…" over a connection failure.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { useServerAndBrowser } from "../support/web-browser.ts";
import { baseUrl } from "../support/koto-test-server.ts";

const WAIT_MS = 30_000;

interface Walk {
  pack: "ko-en" | "ko-id";
  name: string;
  nameLabel: string;
  leave: string;
  tags: string[];
}

// The restaurant's first line is the shortest a learner says: the narrowest bubble for a tag.
const LESSON = "05-restaurant";
const LINES = ["두 명이요.", "감사합니다. 여기는 뭐가 맛있어요?", "그럼 김치찌개 두 개 주세요.", "여기요, 물 좀 주세요.", "아, 그렇군요. 감사합니다."];

const WALKS: Walk[] = [
  {
    pack: "ko-en", name: "Mina", nameLabel: "2. Your name", leave: "Leave lesson", tags: ["done earlier", "skipped"],
  },
  {
    pack: "ko-id", name: "Sari", nameLabel: "2. Nama Anda", leave: "Keluar dari pelajaran", tags: ["sudah selesai sebelumnya", "dilewati"],
  },
];

/**
 * For each own bubble with a tag: whether the tag's box meets a line box of the speaker's name or
 * of the Korean line (text boxes, not the block's full width). A string, not a function: tsx would
 * wrap inner helpers in a __name() the page does not have.
 */
const TAG_OVERLAPS = `(() => [...document.querySelectorAll(".bubble--own")].filter((bubble) => bubble.querySelector(".tag")).map((bubble) => {
  const tag = bubble.querySelector(".tag").getBoundingClientRect();
  const textBoxes = (element) => {
    if (!element) return [];
    const range = document.createRange();
    range.selectNodeContents(element);
    return [...range.getClientRects()];
  };
  const meets = (box) => box.width > 0 && tag.left < box.right - 0.5 && box.left < tag.right - 0.5 && tag.top < box.bottom - 0.5 && box.top < tag.bottom - 0.5;
  const covered = [...textBoxes(bubble.querySelector(".bubble__speaker")), ...textBoxes(bubble.querySelector(".bubble__korean, .syllables"))].filter(meets);
  return { step: bubble.dataset.step, tag: bubble.querySelector(".tag").textContent, covers: covered.length };
}))()`;

describe("Web client: a new user's walk", function () {
  const env = useServerAndBrowser(this);

  async function openLesson(page: Page, walk: Walk): Promise<void> {
    const lesson = page.locator(`[data-lesson-id="${walk.pack}-${LESSON}"] button`);
    await page.goto(`${baseUrl(env.server)}/koto/#/`);
    await page.locator(`input[name="pack"][value="${walk.pack}"]`).check();
    const name = page.getByRole("textbox", { name: walk.nameLabel });
    if (!(await name.inputValue())) await name.fill(walk.name);
    await lesson.click();
    await page.locator('[data-action="start"]').click();
    await page.waitForSelector('.turn[data-my-turn="true"]', { timeout: WAIT_MS });
  }

  /** Types an answer to the learner's `line`-th line (from 0); a wrong one is gone past with "Go on". */
  async function answer(page: Page, line: number, right: boolean): Promise<void> {
    const step = 2 * line + 1;
    await page.waitForSelector(`.turn[data-my-turn="true"][data-step="${step}"]`, { timeout: WAIT_MS });
    await page.locator("#typed-answer").fill(right ? LINES[line]! : "아");
    await page.locator(".typed-answer button[type=submit]").click();
    if (!right) await page.locator('.result-card [data-action="go-on"]').click();
    await page.waitForFunction((step) => Number(document.querySelector<HTMLElement>(".lesson")?.dataset.currentStep) > step, step, { timeout: WAIT_MS });
  }

  for (const walk of WALKS) {
    it(`keeps the own bubble's tag off the name and the line, and shows an ended session as normal (${walk.pack})`, async () => {
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      // First visit: one line right, one wrong and gone past; the second visit resumes after them.
      await openLesson(page, walk);
      await answer(page, 0, true);
      await answer(page, 1, false);
      await page.waitForSelector('.turn[data-my-turn="true"][data-step="5"]', { timeout: WAIT_MS });
      await page.getByRole("button", { name: walk.leave }).click();
      await openLesson(page, walk);
      assert.deepEqual(await page.locator(".bubble--own .tag").allInnerTexts(), walk.tags);

      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 800 });
        const overlaps = (await page.evaluate(TAG_OVERLAPS)) as Array<{ step: string; tag: string; covers: number }>;
        assert.equal(overlaps.length, 2, `${width}px: two tagged bubbles`);
        for (const bubble of overlaps) assert.equal(bubble.covers, 0, `${width}px: the tag "${bubble.tag}" on step ${bubble.step} covers the name or the line`);
      }

      for (const line of [2, 3, 4]) await answer(page, line, true);
      const pill = page.locator('.status-pill[data-connection="ended"]');
      await pill.waitFor({ timeout: WAIT_MS });
      const colours = await pill.evaluate((element) => {
        const style = getComputedStyle(element);
        const poor = getComputedStyle(document.documentElement).getPropertyValue("--poor").trim();
        const probe = document.createElement("span");
        probe.style.color = poor;
        document.body.append(probe);
        const poorColour = getComputedStyle(probe).color;
        probe.remove();
        return { colour: style.color, poorColour };
      });
      assert.notEqual(colours.colour, colours.poorColour, "an ended session is not painted as an error");
      await context.close();
    });
  }

  it("titles a lesson link that does not exist as not found, with no connection failure", async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl(env.server)}/koto/#/`);
    await page.getByRole("textbox", { name: "2. Your name" }).fill("Mina");
    // Opening a real lesson signs the learner in; then the link that does not exist.
    await page.locator('[data-lesson-id="ko-en-01-greetings"] button').click();
    await page.locator('[data-action="start"]').waitFor({ timeout: WAIT_MS });
    await page.goto(`${baseUrl(env.server)}/koto/#/lesson/ko-en-99-nope`);
    await page.locator(".lesson-stage .card", { hasText: "This lesson does not exist." }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator(".lesson-header__title").innerText(), "This lesson does not exist.");
    assert.equal(await page.locator(".status-pill").isVisible(), false, "no 'Could not connect' beside a wrong link");
    assert.doesNotMatch(await page.locator(".lesson").innerText(), /Loading…|Could not connect/);
    await context.close();
  });
});
