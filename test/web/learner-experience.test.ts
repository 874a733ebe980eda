/**
 * The second pass on the learner and tutor experience, in Debian's Chromium against a real server:
 * model audio made by espeak-ng (WASM) plays from the server with an `ended` event, the prompt and
 * microphone stay on a 390×844 screen at every turn, the learner's own name counts, a tutor's
 * one-tap grade moves a learner on, Opus goes out where WebCodecs exists, the Indonesian UI shows
 * no English from the server, and axe-core finds no serious or critical violation on any page state.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { KotoServer } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { loadContent, spokenLines } from "../../server/content/load-content.ts";
import { EspeakTextToSpeech } from "../../server/model-audio/espeak-text-to-speech.ts";
import { openModelAudio } from "../../server/model-audio/open-model-audio.ts";
import { baseUrl, startTestServer, tutor } from "../support/koto-test-server.ts";
import { axeViolations } from "../support/axe.ts";
import { greeting, openUtterance, pcmFrames, signInGuest, startLesson, stream } from "../support/cluster.ts";
import { waitFor } from "../support/processes.ts";
import { Client } from "@colyseus/sdk";

const repository = fileURLToPath(new URL("../../", import.meta.url));
const screenshots = join(repository, "test-results");
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
  "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
];
const TUTOR_EMAIL = "teacher@koto.test";
const TUTOR_PASSWORD = "correct horse battery";
const PHONE = { width: 390, height: 844 };

/** Both the prompt and the microphone button lie wholly inside the visible screen. */
async function turnInView(page: Page): Promise<{ prompt: boolean; mic: boolean }> {
  // A string, not a function: tsx would wrap inner helpers in a __name() the page does not have.
  return page.evaluate(`(() => {
    const inside = (selector) => {
      const box = document.querySelector(selector)?.getBoundingClientRect();
      return !!box && box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
    };
    return { prompt: inside(".prompt__korean"), mic: inside(".mic-button") };
  })()`);
}

describe("Learner and tutor experience in Chromium (second pass)", function () {
  this.timeout(120_000);
  let server: KotoServer;
  let browser: Browser;
  let dataDir: string;
  let workDir: string;
  const accessibility: Record<string, string[]> = {};

  async function checkAccessibility(page: Page, state: string): Promise<void> {
    accessibility[state] = await axeViolations(page);
  }

  before(async function () {
    this.timeout(300_000);
    execFileSync(process.execPath, [join(repository, "node_modules/vite/bin/vite.js"), "build", "--config", "web-client/vite.config.ts", "--logLevel", "error"], { cwd: repository, stdio: "pipe" });
    mkdirSync(screenshots, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), "koto-ux-"));
    workDir = mkdtempSync(join(tmpdir(), "koto-ux-audio-"));
    // Model audio for the greetings lessons, made as an operator would: espeak-ng, files in DATA_DIR.
    const config = loadConfig({ DATA_DIR: dataDir });
    const content = loadContent(config.contentDir);
    const library = await openModelAudio(config.modelAudio);
    const lines = ["ko-en-01-greetings", "ko-id-01-greetings"].flatMap((id) => spokenLines(content.getLesson(id)!));
    const report = await library.synthesize(lines, new EspeakTextToSpeech());
    assert.equal(report.failed.length, 0, JSON.stringify(report.failed));
    // The fake microphone says 안녕하세요 (espeak-ng), with silence after it so hands-free ends the answer.
    const raw = join(workDir, "speech-raw.wav");
    const speech = join(workDir, "speech-48k.wav");
    execFileSync("espeak-ng", ["-v", "ko", "-w", raw, "안녕하세요"]);
    execFileSync("sox", [raw, "-r", "48000", "-c", "1", "-b", "16", speech, "pad", "0.3", "1.2"]);
    server = await startTestServer({ dataDir, env: { TRAILING_SILENCE_MS: "500", MAX_UTTERANCES_PER_MINUTE: "60" } });
    await tutor(server, TUTOR_EMAIL, TUTOR_PASSWORD);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: [...FLAGS, `--use-file-for-fake-audio-capture=${speech}`] });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    for (const dir of [dataDir, workDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openLesson(page: Page, name: string, lessonId: string, pack: "ko-en" | "ko-id"): Promise<void> {
    await page.goto(`${baseUrl(server)}/koto/`);
    await page.locator(`input[name="pack"][value="${pack}"]`).check();
    await page.locator("#learner-name").fill(name);
    await page.locator(`[data-lesson-id="${lessonId}"] button`).click();
    await page.waitForSelector('.lesson[data-phase="lobby"] [data-action="start"]');
  }

  it("serves the bundle precompressed and shows a loading screen before it runs", async () => {
    const html = await (await fetch(`${baseUrl(server)}/koto/`)).text();
    assert.match(html, /class="boot"[\s\S]*Loading KOTO Live/);
    const script = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(html)![1]!;
    const brotli = await fetch(`${baseUrl(server)}/koto/${script}`, { headers: { "accept-encoding": "br" } });
    assert.equal(brotli.headers.get("content-encoding"), "br");
    const gzip = await fetch(`${baseUrl(server)}/koto/${script}`, { headers: { "accept-encoding": "gzip" } });
    assert.equal(gzip.headers.get("content-encoding"), "gzip");
    const plain = await fetch(`${baseUrl(server)}/koto/${script}`, { headers: { "accept-encoding": "identity" } });
    assert.equal(plain.headers.get("content-encoding"), null);
    // fetch decodes: all three are the same script.
    const [a, b, c] = await Promise.all([brotli.text(), gzip.text(), plain.text()]);
    assert.ok(a === c && b === c && c.length > 10_000);
  });

  it("plays the model line (and slower), keeps prompt and mic in view on a phone, accepts the learner's own name, and recaps the lesson", async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(`${baseUrl(server)}/koto/`);
    await checkAccessibility(page, "home");
    await openLesson(page, "Mina", "ko-en-01-greetings", "ko-en");
    // The lobby describes the learner's role once, in the second person.
    const role = await page.locator(".lobby__role").innerText();
    assert.doesNotMatch(role, /You play You/);
    assert.match(role, /You play yourself/);
    await checkAccessibility(page, "lesson lobby");

    await page.locator('[data-action="start"]').click();
    await page.waitForSelector('.turn[data-my-turn="true"]');
    assert.equal(await page.locator(".prompt__korean").innerText(), "안녕하세요. 저는 Mina예요.");
    assert.equal(await page.locator('[data-role="line-count"]').innerText(), "Line 1 of 4");
    // Wait for the partner's line to finish playing, so the scroll position is the settled one.
    await page.waitForFunction(() => !document.querySelector(".bubble--playing"), undefined, { timeout: 20_000 });
    assert.deepEqual(await turnInView(page), { prompt: true, mic: true }, "first turn");
    await page.screenshot({ path: join(screenshots, "phone-first-turn.png") });
    await checkAccessibility(page, "lesson first turn");

    // The line has the learner's name; its recording says the lesson's example name, and the app says so.
    assert.equal(await page.locator('[data-role="example-name"]').innerText(), "The recording says the example name 에밀리: say your own name.");
    // Listen: the model audio (Ogg Opus) is fetched from the server and plays to its end; then slower.
    await page.evaluate(() => {
      (window as any).__ended = [];
      window.addEventListener("koto:line-ended", (event) => (window as any).__ended.push((event as CustomEvent).detail));
    });
    const audioResponse = page.waitForResponse((response) => /\/api\/model-audio\/[0-9a-f]{32}\.opus$/.test(response.url()));
    await page.locator('[data-action="listen"]').click();
    const response = await audioResponse;
    assert.equal(response.status(), 200);
    assert.equal(response.headers()["content-type"], "audio/ogg");
    assert.ok(response.headers()["etag"]);
    assert.match(response.headers()["cache-control"] ?? "", /max-age=\d+/);
    const opusBytes = (await response.body()).byteLength;
    await page.waitForFunction(() => (window as any).__ended.length === 1, undefined, { timeout: 20_000 });
    await page.locator('[data-action="listen-slow"]').click();
    await page.waitForFunction(() => (window as any).__ended.length === 2, undefined, { timeout: 30_000 });
    const ended = await page.evaluate(() => (window as any).__ended);
    assert.deepEqual(ended.map((entry: any) => entry.rate), [1, 0.7]);
    assert.match(ended[0].url, /api\/model-audio\/[0-9a-f]{32}\.opus$/);
    const wavBytes = Number((await fetch(ended[0].url.replace(/\.opus$/, ".wav"))).headers.get("content-length"));
    assert.ok(opusBytes * 8 < wavBytes, `the phone downloads ${opusBytes} B of Opus instead of ${wavBytes} B of WAV`);
    console.log(`      model line: ${opusBytes} B Ogg Opus vs ${wavBytes} B WAV`);

    // Saying (here typing) their own name scores like the model line.
    await page.locator("#typed-answer").fill("안녕하세요. 저는 미나예요.");
    await page.locator(".typed-answer button[type=submit]").click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>(".lesson")?.dataset.currentStep === "3", undefined, { timeout: 15_000 });
    assert.ok(await page.locator(".bubble--own").first().locator(".score-chip.band-good").count() === 1, "the own-name answer scored well");

    // Every later line: answer, then the prompt and mic are still on screen.
    const lines = ["저도 반가워요. 저는 미국 사람이에요.", "네, 학생이에요. 한국어를 공부해요.", "감사합니다. 앞으로 잘 부탁드려요."];
    for (const [index, line] of lines.entries()) {
      await page.waitForSelector('.turn[data-my-turn="true"]');
      assert.equal(await page.locator('[data-role="line-count"]').innerText(), `Line ${index + 2} of 4`);
      await page.waitForFunction(() => !document.querySelector(".bubble--playing"), undefined, { timeout: 20_000 });
      assert.deepEqual(await turnInView(page), { prompt: true, mic: true }, `after result ${index + 1}`);
      assert.ok(await page.locator('[data-role="example-name"]').isHidden(), "no name in this line: no note");
      if (index === 0) {
        await page.screenshot({ path: join(screenshots, "phone-after-result.png") });
        await checkAccessibility(page, "lesson after a result");
        // Another accepted answer (반갑습니다 … 입니다), one syllable wrong: the card shows the line to
        // say as written, with its spaces, and under it what was typed, spaced as typed, marked.
        await page.locator("#typed-answer").fill("저도 반갑습니다 저는 미국 사람임니까");
        await page.locator(".typed-answer button[type=submit]").click();
        const card = page.locator('.result-card[data-status="scored"]');
        await card.locator('[data-action="retry"]').waitFor();
        assert.equal(await card.locator(".syllables--expected").innerText(), line);
        const heard = card.locator(".syllables--heard");
        assert.match(await heard.innerText(), /^You typed: 저도 반갑습니다 저는 미국 사람임니까(\n|$)/);
        assert.equal(await heard.locator(".syl--substituted .syl__char").innerText(), "까");
        await heard.locator(".syl--substituted").focus();
        assert.match(await heard.locator(".syl--substituted .syl__tip").innerText(), /^should be “다”/);
        assert.equal(await card.locator(".result-card__heard").count(), 0, "what was typed is not said twice");
        await page.screenshot({ path: join(screenshots, "phone-other-accepted-answer.png") });
        await checkAccessibility(page, "lesson, another accepted answer");
      }
      // One wrong syllable first on the second line: the recap has something to practise.
      if (index === 1) {
        await page.locator("#typed-answer").fill("네, 학생이에요. 한국오를 공부해요.");
        await page.locator(".typed-answer button[type=submit]").click();
        await page.waitForSelector('.result-card [data-action="retry"]');
        assert.deepEqual(await turnInView(page), { prompt: true, mic: true }, "after a wrong answer");
        await page.screenshot({ path: join(screenshots, "phone-wrong-answer.png") });
        await checkAccessibility(page, "lesson wrong answer");
      }
      await page.locator("#typed-answer").fill(line);
      await page.locator(".typed-answer button[type=submit]").click();
      await page.waitForFunction((step) => Number(document.querySelector<HTMLElement>(".lesson")?.dataset.currentStep) > step, 2 * index + 3, { timeout: 15_000 });
    }

    // The recap: lines said, best and weakest syllables, the confusion found.
    const recap = page.locator(".recap");
    await recap.waitFor({ timeout: 15_000 });
    assert.equal(await recap.getAttribute("data-said"), "4");
    assert.match(await recap.innerText(), /Lines said: 4 of 4/);
    assert.match(await recap.innerText(), /ㅓ heard as ㅗ/);
    await page.screenshot({ path: join(screenshots, "phone-recap.png"), fullPage: true });
    await checkAccessibility(page, "lesson recap");

    // The lesson list shows it done with the best score, the streak started; your sounds lists ㅓ → ㅗ.
    await page.goto(`${baseUrl(server)}/koto/#/`);
    const done = page.locator('[data-lesson-id="ko-en-01-greetings"] [data-progress="done"]');
    await done.waitFor();
    assert.match(await done.innerText(), /Done · Best \d+/);
    assert.match(await page.locator(".streak").innerText(), /1-day streak/);
    await page.screenshot({ path: join(screenshots, "phone-home-progress.png"), fullPage: true });
    await checkAccessibility(page, "home with progress");
    await page.goto(`${baseUrl(server)}/koto/#/sounds`);
    const sound = page.locator('.sound-card[data-expected="ㅓ"][data-heard="ㅗ"]');
    await sound.waitFor();
    assert.ok(await sound.locator(".drill-line").count() >= 1);
    await page.screenshot({ path: join(screenshots, "phone-your-sounds.png"), fullPage: true });
    await checkAccessibility(page, "your sounds");
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("sends Opus where WebCodecs exists; the tutor sees flags, grades with one tap, and the learner moves on", async () => {
    const learnerContext = await browser.newContext({ viewport: PHONE });
    const tutorContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const learner = await learnerContext.newPage();
    const teacher = await tutorContext.newPage();
    const sentOpen: string[] = [];
    learner.on("websocket", (socket) => socket.on("framesent", (frame) => {
      const bytes = Buffer.isBuffer(frame.payload) ? frame.payload : Buffer.from(frame.payload);
      if (bytes.includes("utterance-open")) sentOpen.push(bytes.includes(Buffer.from([0xa4, ...Buffer.from("opus")])) ? "opus" : "pcm16");
    }));
    await openLesson(learner, "Budi", "ko-en-01-greetings", "ko-en");
    const roomId = (await learner.locator(".lesson").getAttribute("data-room-id"))!;
    await learner.locator('[data-action="start"]').click();
    await learner.waitForSelector('.turn[data-my-turn="true"]');
    // The room says scoring is off (STT_PROVIDER=none) before the first answer, beside the microphone.
    assert.equal(await learner.locator('[data-role="scoring-off"]').innerText(), "Automatic scoring is off; your tutor will grade this answer.");
    const hasWebCodecs = await learner.evaluate(async () => typeof AudioEncoder !== "undefined"
      && (await AudioEncoder.isConfigSupported({ codec: "opus", sampleRate: 16000, numberOfChannels: 1 })).supported === true);

    // Hands-free: the server ends the answer on silence; with no speech-to-text it waits for the tutor.
    await learner.getByRole("radio", { name: "Hands-free" }).check();
    await learner.locator(".mic-button").click();
    await learner.waitForSelector('.result-card[data-status="awaiting-tutor"]', { timeout: 30_000 });
    assert.deepEqual(sentOpen, [hasWebCodecs ? "opus" : "pcm16"], `utterance-open codec (WebCodecs Opus: ${hasWebCodecs})`);
    assert.ok(hasWebCodecs, "Debian's Chromium has WebCodecs Opus: this test must exercise it");
    if (await learner.locator(".mic-button[aria-pressed=true]").count()) await learner.locator(".mic-button").click();
    // The server scores no speech (STT_PROVIDER=none): the card says why a tutor grades it, and the
    // microphone says so before the next answer; the title and the badge say different things.
    const scoringOff = "Automatic scoring is off; your tutor will grade this answer.";
    assert.equal(await learner.locator(".result-card__title").innerText(), "Saved for your tutor to grade");
    assert.equal(await learner.locator(".result-card .badge").innerText(), "Awaiting grade");
    assert.equal(await learner.locator(".result-card__failure").innerText(), scoringOff);
    assert.equal(await learner.locator('[data-role="scoring-off"]').innerText(), scoringOff);
    assert.match(await learner.locator(".mic-button").getAttribute("aria-describedby") ?? "", /\bscoring-off\b/);
    await learner.screenshot({ path: join(screenshots, "phone-scoring-off.png") });
    await checkAccessibility(learner, "lesson, automatic scoring off");

    // The dashboard flags the session as needing a grade and puts it first.
    await teacher.goto(`${baseUrl(server)}/koto/#/tutor`);
    await teacher.getByLabel("Email").fill(TUTOR_EMAIL);
    await teacher.getByLabel("Password").fill(TUTOR_PASSWORD);
    await checkAccessibility(teacher, "tutor login");
    await teacher.getByRole("button", { name: "Sign in" }).click();
    const card = teacher.locator(`.session-card[data-session-id="${roomId}"]`);
    await card.locator('[data-flag="needs-grading"]').waitFor({ timeout: 10_000 });
    assert.match(await card.locator('[data-flag="needs-grading"]').innerText(), /Needs grading \(1\)/);
    assert.equal(await teacher.locator(".session-card").first().getAttribute("data-session-id"), roomId, "the session that needs a tutor comes first");
    await teacher.screenshot({ path: join(screenshots, "tutor-dashboard-flags.png"), fullPage: true });
    await checkAccessibility(teacher, "tutor dashboard");

    await card.getByRole("link", { name: /Join/ }).click();
    const attempt = teacher.locator('.attempt[data-status="awaiting-tutor"]');
    await attempt.waitFor();
    assert.match(await attempt.locator(".badge").innerText(), /Needs your grade/);
    assert.doesNotMatch(await teacher.locator(".tutor-session").innerText(), /Waiting for your tutor/);
    await teacher.screenshot({ path: join(screenshots, "tutor-session-awaiting.png"), fullPage: true });
    await checkAccessibility(teacher, "tutor session");

    // One tap: pass. The learner moves on to their next line and reads the grade.
    await attempt.locator('[data-action="grade-pass"]').click();
    await learner.waitForFunction(() => document.querySelector<HTMLElement>(".lesson")?.dataset.currentStep === "3", undefined, { timeout: 10_000 });
    await teacher.locator('.attempt[data-status="scored"] .label--correct').waitFor();
    assert.equal(await learner.locator('[data-role="line-count"]').innerText(), "Line 2 of 4");
    assert.ok(await learner.locator('[data-role="scoring-off"]').isVisible(), "the room still says scoring is off after a grade");

    // A tutor's hint stays on the learner's turn after its notice has gone, until the line is done.
    await teacher.getByPlaceholder("Hint for the learner").fill("저도 means me too");
    await teacher.getByRole("button", { name: "Send hint" }).click();
    const bubble = learner.locator(".hint-bubble", { hasText: "저도 means me too" });
    await bubble.waitFor();
    await learner.locator(".toast", { hasText: "저도 means me too" }).waitFor({ state: "detached", timeout: 20_000 });
    assert.ok(await bubble.isVisible(), "the hint is still shown");

    // The tutor moves the lesson: the learner is told so.
    await teacher.locator('[data-action="advance"]').click();
    await learner.locator(".toast", { hasText: "Teacher Kim moved the lesson" }).waitFor({ timeout: 10_000 });
    await learner.screenshot({ path: join(screenshots, "phone-tutor-moved.png") });
    await learner.waitForFunction(() => document.querySelector<HTMLElement>(".lesson")?.dataset.currentStep === "5");

    // Back on the lesson list, "continue where you stopped" reopens the lesson at that line.
    await learner.goto(`${baseUrl(server)}/koto/#/`);
    const resume = learner.locator('[data-action="continue"]');
    await resume.waitFor();
    assert.match(await resume.innerText(), /Continue: Greetings and introducing yourself/);
    await resume.click();
    await learner.locator('[data-action="start"]').click();
    await learner.waitForSelector('.turn[data-my-turn="true"]');
    assert.equal(await learner.locator('[data-role="line-count"]').innerText(), "Line 3 of 4");
    // The line passed in the earlier session is "done earlier"; the one the tutor moved past is "skipped".
    assert.equal(await learner.locator('.bubble--own[data-step="1"] .tag').innerText(), "done earlier");
    assert.equal(await learner.locator('.bubble--own[data-step="3"] .tag').innerText(), "skipped");
    await learnerContext.close();
    await tutorContext.close();
  });

  it("lets the tutor hear and grade, from the dashboard, an answer left waiting when its session ended", async () => {
    const learner = await signInGuest(baseUrl(server), "Dewi");
    const room = await startLesson(new Client(baseUrl(server)), learner.token);
    const attemptId = await openUtterance(room);
    await stream(room, pcmFrames(greeting().samples));
    room.send("utterance-close");
    await waitFor(async () => (await server.store.getAttempt(attemptId))?.status === "awaiting-tutor" || undefined, "the answer to wait for a tutor", 30_000);
    const step = (await server.store.getAttempt(attemptId))!.stepIndex;
    await room.leave();
    await waitFor(async () => !server.liveRooms.has(room.roomId) || undefined, "the session to end", 30_000);

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const teacher = await context.newPage();
    await teacher.goto(`${baseUrl(server)}/koto/#/tutor`);
    await teacher.getByLabel("Email").fill(TUTOR_EMAIL);
    await teacher.getByLabel("Password").fill(TUTOR_PASSWORD);
    await teacher.getByRole("button", { name: "Sign in" }).click();
    const row = teacher.locator(`.awaiting-grade-panel li[data-attempt-id="${attemptId}"]`);
    await row.waitFor({ timeout: 15_000 });
    // Who, which lesson, the line they were to say (their name in it) and why it waits, for a tutor.
    assert.equal(await row.locator(".session-card__learner").innerText(), "Dewi");
    assert.match(await row.locator(".session-card__lesson").innerText(), new RegExp(`^Greetings and introducing yourself · Step ${step + 1} · `));
    if (step === 1) assert.equal(await row.locator(".session-card__line").innerText(), "안녕하세요. 저는 Dewi예요.");
    assert.match(await row.locator(".session-card__why").innerText(), /^Automatic scoring is off on this server/);
    await row.locator('[data-action="play"]').click();
    await row.locator(`audio.replay-audio[data-attempt-id="${attemptId}"]`).waitFor();
    await teacher.screenshot({ path: join(screenshots, "tutor-dashboard-awaiting-grade.png"), fullPage: true });
    await checkAccessibility(teacher, "tutor dashboard, answers waiting for a grade");
    await row.locator('[data-action="grade-pass"]').click();
    await teacher.locator(".toast", { hasText: "Grade saved: 95" }).waitFor();
    await row.waitFor({ state: "detached", timeout: 15_000 });
    const graded = (await server.store.getAttempt(attemptId))!;
    assert.deepEqual([graded.status, graded.tutorScore], ["scored", 95]);
    assert.ok((await server.store.getProgress(learner.userId, graded.lessonId))!.completedSteps.includes(step), "the pass completes the line");
    await context.close();
  });

  it("speaks Indonesian throughout the KO-ID lesson: no English from the server on screen", async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await openLesson(page, "Sari", "ko-id-01-greetings", "ko-id");
    await page.locator('[data-action="start"]').click();
    await page.waitForSelector('.turn[data-my-turn="true"]');
    await page.locator("#typed-answer").fill("안녕하세요. 저는 사리예요.");
    await page.locator(".typed-answer button[type=submit]").click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>(".lesson")?.dataset.currentStep === "3", undefined, { timeout: 15_000 });
    const lessonText = await page.locator("body").innerText();
    await page.screenshot({ path: join(screenshots, "phone-indonesian-lesson.png"), fullPage: true });
    await checkAccessibility(page, "Indonesian lesson");
    await page.goto(`${baseUrl(server)}/koto/#/`);
    await page.locator('[data-lesson-id="ko-id-01-greetings"]').waitFor();
    const homeText = await page.locator("body").innerText();
    assert.match(homeText, /Pemula/);
    // Tutor sign-in errors, in Indonesian too.
    await page.goto(`${baseUrl(server)}/koto/#/tutor`);
    await page.locator("#tutor-email").fill(TUTOR_EMAIL);
    await page.locator("#tutor-password").fill("wrong password");
    await page.locator("form.login-card button[type=submit]").click();
    const refusal = page.locator(".toast--error");
    await refusal.waitFor();
    const loginText = await refusal.innerText();
    assert.match(loginText, /Email atau kata sandi tidak benar/);
    // Strings the server sends in English (levels, phases, statuses, reasons, codes) never show.
    const english = /\b(beginner|elementary|intermediate|running|lobby|finished|Waiting for|the email or password|LOGIN_FAILED|ROOM_|Line \d of)\b/i;
    for (const [where, text] of [["lesson", lessonText], ["home", homeText], ["tutor login", loginText]] as const) {
      assert.doesNotMatch(text, english, `${where}: ${text.match(english)?.[0]}`);
    }
    await context.close();
  });

  it("has no serious or critical axe-core violation on any page state visited", () => {
    const states = Object.keys(accessibility);
    assert.ok(states.length >= 10, `axe ran on ${states.length} states: ${states.join(", ")}`);
    const found = Object.entries(accessibility).flatMap(([state, violations]) => violations.map((violation) => `${state}: ${violation}`));
    console.log(`      axe-core: ${states.length} page states, ${found.length} serious/critical violations`);
    assert.deepEqual(found, []);
  });
});
