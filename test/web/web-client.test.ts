/**
 * The web client in a real browser (Debian's Chromium driven by playwright-core) against a real
 * KOTO Live server over uWebSockets, with a loopback speech-to-text fake. The learner's microphone
 * is Chromium's fake capture device playing espeak-ng Korean, so the whole audio path is real:
 * getUserMedia → AudioWorklet → 16 kHz PCM16 frames → server VAD endpointing → STT → scoring.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { Encoder } from "@evan/opus";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { KotoServer } from "../../server/app.ts";
import { startFakeOpenAiStt, type FakeOpenAiStt } from "../fakes/fake-openai-stt.ts";
import { decodeWav, encodeAudioFrame } from "../../server/speech/audio/index.ts";
import { baseUrl, guest, nextMessage, sdk, startTestServer, tutor } from "../support/koto-test-server.ts";

const repository = fileURLToPath(new URL("../../", import.meta.url));
const screenshots = join(repository, "test-results");
const CHROMIUM = "/usr/bin/chromium";
const BASE_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
];
const TUTOR_EMAIL = "teacher@koto.test";
const TUTOR_PASSWORD = "correct horse battery";

interface LessonRoomLike {
  roomId: string;
  state: { currentStep: number; steps: { korean: string }[]; attempts: { status: string; step: number; learnerId: string }[]; participants: Map<string, { displayName: string; connected: boolean }> };
  clients: { sessionId: string; auth?: { displayName: string }; ref: { ws: { close(): void } } }[];
}

/** A page whose console errors and uncaught exceptions are collected for the end of the test. */
/**
 * How long a page may take to show what a test waits for. Generous: the suite must hold while other work keeps
 * both cores busy (scripts/cpu-load.mjs), where Chromium's fake microphone, the worklet and the server all run
 * slower; a passing test never waits this long.
 */
const BROWSER_WAIT_MS = 90_000;

async function openPage(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(BROWSER_WAIT_MS);
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return page;
}

/** Records every connection state the page goes through (however briefly) and every notice. */
async function recordStatusAndToasts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const toasts = ((window as any).__toasts = [] as string[]);
    const pill = document.querySelector<HTMLElement>(".status-pill")!;
    // Several changes in one task reach the observer together: their old values give the history.
    const history: string[] = [];
    (window as any).__connectionHistory = () => [...history, pill.dataset.connection];
    new MutationObserver((records) => {
      for (const record of records) history.push(record.oldValue ?? "");
    }).observe(pill, { attributes: true, attributeFilter: ["data-connection"], attributeOldValue: true });
    const result = document.querySelector<HTMLElement>(".result-card")!;
    const statuses: string[] = [];
    (window as any).__resultStatuses = () => [...statuses, `${result.dataset.attemptId}:${result.dataset.status}`];
    new MutationObserver(() => statuses.push(`${result.dataset.attemptId}:${result.dataset.status}`))
      .observe(result, { attributes: true, attributeFilter: ["data-status", "data-attempt-id"] });
    new MutationObserver((records) => {
      for (const record of records) for (const node of Array.from(record.addedNodes)) {
        if (node instanceof HTMLElement && node.classList.contains("toast")) toasts.push(`${node.className}|${node.dataset.code}|${node.textContent}`);
      }
    }).observe(document.querySelector(".toasts")!, { childList: true, subtree: true });
  });
}

async function openLessonAsLearner(page: Page, server: KotoServer, name: string, lessonId: string, pack = "ko-en"): Promise<void> {
  await page.goto(`${baseUrl(server)}/koto/`);
  await page.locator(`input[name="pack"][value="${pack}"]`).check();
  await page.getByRole("textbox", { name: pack === "ko-id" ? "2. Nama Anda" : "2. Your name" }).fill(name);
  await page.locator(`[data-lesson-id="${lessonId}"] button`).click();
  await page.waitForSelector('.lesson[data-phase="lobby"] [data-action="start"]');
  await recordStatusAndToasts(page);
}

async function signInAsTutor(page: Page, server: KotoServer): Promise<void> {
  await page.goto(`${baseUrl(server)}/koto/#/tutor`);
  await page.getByLabel("Email").fill(TUTOR_EMAIL);
  await page.getByLabel("Password").fill(TUTOR_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Live sessions" }).waitFor();
}

function lessonRoomOf(server: KotoServer, roomId: string): LessonRoomLike {
  const room = server.liveRooms.get(roomId) as unknown as LessonRoomLike | undefined;
  assert.ok(room, `room ${roomId} is live`);
  return room;
}

async function roomIdOf(page: Page): Promise<string> {
  return (await page.locator(".lesson").getAttribute("data-room-id"))!;
}

async function typeAnswer(page: Page, text: string): Promise<void> {
  await page.locator("#typed-answer").fill(text);
  await page.locator(".typed-answer button[type=submit]").click();
}

describe("Web client in Chromium (learner app and tutor console)", function () {
  this.timeout(300_000);
  let server: KotoServer;
  let stt: FakeOpenAiStt;
  let browser: Browser;
  let workDir: string;
  let speechWav: string;
  /** Transcripts to return before falling back to the line the learner must say. */
  const scriptedTranscripts: ((expected: string) => string)[] = [];
  let problems: string[] = [];

  before(async function () {
    this.timeout(300_000);
    // Always build: it takes about two seconds and the server serves web-client/dist.
    execFileSync(process.execPath, [join(repository, "node_modules/vite/bin/vite.js"), "build", "--config", "web-client/vite.config.ts", "--logLevel", "error"], { cwd: repository, stdio: "pipe" });
    workDir = mkdtempSync(join(tmpdir(), "koto-web-"));
    mkdirSync(screenshots, { recursive: true });
    // Chromium loops the file: 0.3 s silence, about 1.2 s of speech, 1.2 s of silence, so the
    // server's endpointing ends every answer on the trailing silence.
    const raw = join(workDir, "speech-raw.wav");
    speechWav = join(workDir, "speech-48k.wav");
    execFileSync("espeak-ng", ["-v", "ko", "-w", raw, "안녕하세요"]);
    execFileSync("sox", [raw, "-r", "48000", "-c", "1", "-b", "16", speechWav, "pad", "0.3", "1.2"]);

    stt = await startFakeOpenAiStt({
      // A real provider takes hundreds of milliseconds; answering at once let "evaluating" and the score
      // land in the same patch on a quick machine, and the "checking" state was never shown (a CI flake).
      delayMs: 250,
      transcript: () => {
        const expected = expectedLine();
        const scripted = scriptedTranscripts.shift();
        return scripted ? scripted(expected) : expected;
      },
    });
    server = await startTestServer({
      transport: "uws",
      env: { STT_PROVIDER: "openai", OPENAI_STT_BASE_URL: stt.baseUrl, TRAILING_SILENCE_MS: "500", MAX_UTTERANCES_PER_MINUTE: "60" },
    });
    await tutor(server, TUTOR_EMAIL, TUTOR_PASSWORD);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...BASE_FLAGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${speechWav}`],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await stt?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    problems = [];
    scriptedTranscripts.length = 0;
  });

  afterEach(function () {
    if (this.currentTest?.state === "passed") assert.deepEqual(problems, [], "no console errors in any page");
  });

  /** The line whose spoken attempt is being evaluated right now, read from the server's live state. */
  function expectedLine(): string {
    for (const room of server.liveRooms.values() as IterableIterator<unknown>) {
      const state = (room as LessonRoomLike).state;
      const evaluating = state.attempts.find((attempt) => attempt.status === "evaluating");
      // A learner says their own name where a line has {name}; these learners say the example name.
      if (evaluating) return state.steps[evaluating.step].korean.replace("{name}", "에밀리");
    }
    return "";
  }

  it("lets a learner finish a lesson by speaking, hands-free, while a tutor listens live, plays the attempt back and grades it", async () => {
    const learnerContext = await browser.newContext({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 1 });
    const tutorContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const learner = await openPage(learnerContext, problems);
    const teacher = await openPage(tutorContext, problems);
    // The first answer is heard with one vowel off: 예요 → 에요 and 세요 → 세오.
    scriptedTranscripts.push((expected) => expected.replace("세요", "세오"));

    await openLessonAsLearner(learner, server, "Mina", "ko-en-01-greetings");
    const roomId = await roomIdOf(learner);

    // The tutor signs in, finds the session on the dashboard and joins it.
    await signInAsTutor(teacher, server);
    const sessionCard = teacher.locator(`.session-card[data-session-id="${roomId}"]`);
    await sessionCard.waitFor({ timeout: BROWSER_WAIT_MS });
    assert.match(await sessionCard.innerText(), /Mina/);
    assert.match(await sessionCard.innerText(), /Greetings and introducing yourself/);
    await sessionCard.getByRole("link", { name: /Join/ }).click();
    await teacher.locator(".learner-card").filter({ hasText: "Mina" }).waitFor();
    await teacher.getByRole("button", { name: "Listen live" }).click();
    assert.equal(await teacher.getByRole("button", { name: "Listen live" }).getAttribute("aria-pressed"), "true");

    // The learner starts; the partner's first line appears as a bubble, their own line as the prompt.
    await learner.locator('[data-action="start"]').click();
    await learner.waitForSelector('.turn[data-my-turn="true"]');
    assert.match(await learner.locator(".bubble--partner").first().innerText(), /안녕하세요\. 저는 민수예요\.[\s\S]*annyeonghaseyo[\s\S]*Hello/);
    assert.equal(await learner.locator(".prompt__korean").innerText(), "안녕하세요. 저는 Mina예요.", "the learner's own name is in the line");

    // Hands-free: one tap, then the server's endpointing ends the answer on silence.
    await learner.getByRole("radio", { name: "Hands-free" }).check();
    const speakingStarted = Date.now();
    await learner.locator(".mic-button").click();
    await learner.waitForSelector('.turn[data-mic="on"]');
    // The meter follows the microphone; the "hearing you" light follows the server's speech detection.
    await learner.waitForFunction(() => Number(document.querySelector(".level-meter")?.getAttribute("aria-valuenow")) > 30);
    await learner.waitForSelector(".speaking-light--on");
    const result = learner.locator('.result-card[data-status="scored"]');
    await result.waitFor({ timeout: BROWSER_WAIT_MS });
    const firstAttemptId = (await result.getAttribute("data-attempt-id"))!;
    const firstResultMs = Date.now() - speakingStarted;
    const shown: string[] = await learner.evaluate(() => (window as any).__resultStatuses());
    assert.deepEqual([...new Set(shown.filter((entry) => entry.startsWith(firstAttemptId)))].map((entry) => entry.split(":")[1]),
      ["recording", "evaluating", "scored"], "the result is shown as it arrives");

    // The line is coloured syllable by syllable; the wrong one tells what was heard.
    assert.equal(await result.locator(".syl--correct").count() > 8, true);
    const wrong = result.locator(".syl--substituted");
    assert.equal(await wrong.count(), 1);
    assert.equal(await wrong.locator(".syl__char").innerText(), "요");
    await wrong.focus();
    assert.match(await wrong.locator(".syl__tip").innerText(), /heard “오” · ㅛ heard as ㅗ/);
    assert.ok(await wrong.locator(".syl__tip").isVisible(), "focus shows what was heard");
    assert.match(await result.innerText(), /We heard: 안녕하세오\. 저는 에밀리예요\./);
    assert.match(await result.locator(".score-bar").first().innerText(), /Accuracy/);
    assert.ok(await result.locator('.score-bar[data-score="fluency"]').count() === 1, "spoken answers have a fluency score");
    assert.match(await result.locator(".result-card__tip").innerText(), /\S/);
    assert.equal(await result.locator('[data-action="retry"]').count(), 1, "a wrong answer can be retried");
    // A wrong answer stops hands-free, so the learner can read the result.
    await learner.waitForSelector('.mic-button[aria-pressed="false"]');

    // The tutor saw it arrive, heard it live and can play the recording.
    const tutorAttempt = teacher.locator(`.attempt[data-attempt-id="${firstAttemptId}"]`);
    await tutorAttempt.waitFor();
    await teacher.waitForSelector(`.attempt[data-attempt-id="${firstAttemptId}"][data-status="scored"]`);
    const framesPlayed = Number(await teacher.locator(".tutor-session").getAttribute("data-frames-played"));
    assert.ok(framesPlayed > 25, `the tutor's live listening scheduled ${framesPlayed} frames`);
    const secondsPlayed = Number(await teacher.locator(".tutor-session").getAttribute("data-seconds-played"));
    assert.ok(Math.abs(secondsPlayed - framesPlayed * 0.02) < 0.05, `PCM16 16 kHz frames of 20 ms: ${framesPlayed} frames, ${secondsPlayed} s`);
    assert.match(await tutorAttempt.locator(".attempt__evaluation pre").textContent() ?? "", /"provider": "openai"/, "tutors see the evaluation details");
    await tutorAttempt.getByRole("button", { name: "Play" }).click();
    const recording = tutorAttempt.locator("audio.replay-audio");
    await recording.waitFor();
    await teacher.waitForFunction((id) => {
      const audio = document.querySelector<HTMLAudioElement>(`.attempt[data-attempt-id="${id}"] audio`);
      return !!audio && audio.readyState >= 1 && audio.duration > 0.5 && audio.currentTime > 0;
    }, firstAttemptId, { timeout: BROWSER_WAIT_MS });

    // The learner can replay their own attempt too.
    await result.locator('[data-action="replay"]').click();
    await learner.waitForFunction(() => {
      const audio = document.querySelector<HTMLAudioElement>(".result-card audio");
      return !!audio && audio.readyState >= 1 && audio.duration > 0.5;
    });
    await wrong.focus();
    await learner.screenshot({ path: join(screenshots, "learner-result.png"), fullPage: true });

    // The tutor grades it by hand; the learner sees the grade beside the automatic score.
    await tutorAttempt.getByLabel("Score (0–100)").fill("72");
    await tutorAttempt.getByLabel("Comment").fill("Close! End with 요, not 오.");
    await tutorAttempt.getByRole("button", { name: "Save grade" }).click();
    await learner.waitForSelector('.result-card .result-card__tutor[data-tutor-score="72"]');
    assert.match(await learner.locator(".result-card__tutor").innerText(), /Tutor's grade: 72 — Close! End with 요, not 오\./);

    // Retry listens again; this time every line is heard right and hands-free carries on to the end.
    await result.locator('[data-action="retry"]').click();
    await learner.waitForSelector('.lesson[data-phase="finished"]', { timeout: BROWSER_WAIT_MS });
    const lessonMs = Date.now() - speakingStarted;
    await learner.locator(".finished").waitFor();
    assert.match(await learner.locator(".finished").innerText(), /Lesson complete!/);

    const room = lessonRoomOf(server, roomId);
    const spoken = room.state.attempts.filter((attempt) => (attempt as { kind?: string }).kind === "spoken" && attempt.status === "scored");
    assert.equal(spoken.length, 5, "four lines spoken, one of them twice");
    assert.equal(await learner.locator(".bubble--own").count(), 4);
    assert.equal(await learner.locator(".bubble--own .tag").count(), 0, "no line was skipped");
    assert.equal(await learner.locator('.bubble--own[data-step="1"] .score-chip').count(), 1, "the line said shows its score");
    assert.equal(await learner.locator("[data-tutor-only]").count(), 0, "learners see no tutor-only data");

    await teacher.waitForSelector('.tutor-session[data-phase="finished"]');
    assert.equal(await teacher.locator(".attempt").count(), 5);
    assert.equal(await teacher.locator('.learner-card [data-tutor-only="account"]').count(), 1);
    await teacher.screenshot({ path: join(screenshots, "tutor-console.png"), fullPage: true });

    // The learner's progress page counts the lesson.
    await learner.getByRole("link", { name: "See my progress" }).click();
    const progress = learner.locator('.progress-card[data-lesson-id="ko-en-01-greetings"]');
    await progress.waitFor();
    assert.match(await learner.locator(".progress-summary").innerText(), /Lessons completed: 1/);
    assert.match(await progress.innerText(), /Completed/);
    assert.ok(Number(await progress.locator("[data-best-score]").getAttribute("data-best-score")) >= 80);

    const toasts: string[] = await learner.evaluate(() => (window as any).__toasts ?? []);
    assert.deepEqual(toasts.filter((toast) => toast.includes("toast--error")), [], "no error notices while speaking");
    console.log(`      first spoken result ${firstResultMs} ms after the tap; whole lesson ${lessonMs} ms; tutor scheduled ${framesPlayed} live frames`);
    await Promise.all([learnerContext.close(), tutorContext.close()]);
  });

  it("shows reconnecting, then back, when the server drops the learner's socket, and carries on with the state intact", async () => {
    const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
    const page = await openPage(context, problems);
    await openLessonAsLearner(page, server, "Budi", "ko-en-03-directions");
    await page.locator('[data-action="start"]').click();
    await page.waitForSelector('.turn[data-my-turn="true"][data-step="0"]');
    // Push-to-talk from the keyboard: hold Space on the microphone button for one loop of the speech.
    await page.getByRole("radio", { name: "Hold to talk" }).check();
    await page.locator(".mic-button").focus();
    await page.keyboard.down("Space");
    await page.waitForSelector('.mic-button[data-phase="listening"][aria-pressed="true"]');
    await page.waitForTimeout(2800);
    await page.keyboard.up("Space");
    await page.waitForSelector('.turn[data-my-turn="true"][data-step="2"]', { timeout: BROWSER_WAIT_MS });
    assert.equal(await page.locator(".bubble--own").count(), 1);
    assert.match(await page.locator(".result-card").innerText(), /We heard: 실례합니다/);
    const spokenAttempt = await page.locator(".result-card").getAttribute("data-attempt-id");

    const roomId = await roomIdOf(page);
    const room = lessonRoomOf(server, roomId);
    const client = room.clients.find((candidate) => candidate.auth?.displayName === "Budi");
    assert.ok(client, "the learner's client is in the room");
    // The SDK retries only a room that has been up for reconnection.minUptime (the app sets 500 ms).
    await page.waitForTimeout(600);
    // An abnormal close (no close frame): what a network drop looks like to the browser.
    client.ref.ws.close();

    await page.waitForSelector('.status-pill[data-connection="reconnected"]', { timeout: BROWSER_WAIT_MS });
    assert.equal(await page.locator(".status-pill").innerText(), "Back online — nothing was lost");
    const history: string[] = await page.evaluate(() => (window as any).__connectionHistory());
    assert.deepEqual(history.slice(-3), ["connected", "reconnecting", "reconnected"], `connection states: ${history.join(" → ")}`);
    assert.equal(await page.locator(".turn").getAttribute("data-step"), "2", "same step");
    assert.equal(await page.locator(".bubble--own").count(), 1, "earlier attempts still listed");
    assert.equal(await page.locator(".result-card").getAttribute("data-attempt-id"), spokenAttempt);
    await page.waitForFunction((id) => document.querySelector(".lesson")?.getAttribute("data-room-id") === id, roomId);
    assert.equal([...room.state.participants.values()].find((participant) => participant.displayName === "Budi")?.connected, true);

    await typeAnswer(page, "은행 앞에서 오른쪽이요?");
    await page.waitForSelector('.turn[data-my-turn="true"][data-step="4"]');
    assert.equal(await page.locator(".bubble--own").count(), 2);
    await page.waitForSelector('.status-pill[data-connection="connected"]', { timeout: BROWSER_WAIT_MS });
    await page.screenshot({ path: join(screenshots, "learner-reconnected.png"), fullPage: true });
    await context.close();
  });

  it("takes a wrong-password notice away once the tutor signs in", async () => {
    const page = await openPage(await browser.newContext(), problems);
    await page.goto(`${baseUrl(server)}/koto/#/tutor`);
    await page.getByLabel("Email").fill(TUTOR_EMAIL);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator('.toast--error[data-code="LOGIN_FAILED"]').waitFor();
    await page.getByLabel("Password").fill(TUTOR_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Live sessions" }).waitFor();
    // Gone with the sign-in, not 9 s later when it would have faded on its own.
    assert.equal(await page.locator(".toast--error:not(.toast--leaving)").count(), 0, "no error notice beside the dashboard");
    // The browser reports the refused sign-in (401) on its console; that one was asked for.
    problems = problems.filter((problem) => !problem.includes("status of 401"));
    await page.context().close();
  });

  it("lets a tutor steer a session: a hint the learner sees, a note only tutors see, advance, back and end", async () => {
    const learnerContext = await browser.newContext({ viewport: { width: 412, height: 915 } });
    const tutorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const learner = await openPage(learnerContext, problems);
    const teacher = await openPage(tutorContext, problems);
    await openLessonAsLearner(learner, server, "Dewi", "ko-en-02-cafe");
    const roomId = await roomIdOf(learner);
    await learner.locator('[data-action="start"]').click();
    await learner.waitForSelector('.turn[data-my-turn="true"][data-step="1"]');

    await signInAsTutor(teacher, server);
    await teacher.goto(`${baseUrl(server)}/koto/#/tutor/session/${roomId}`);
    const card = teacher.locator(".learner-card").filter({ hasText: "Dewi" });
    await card.waitFor();

    await card.getByRole("textbox", { name: "Hint for the learner" }).fill("Start with 아이스");
    await card.getByRole("button", { name: "Send hint" }).click();
    await learner.locator(".toast--info").filter({ hasText: "Start with 아이스" }).waitFor();
    assert.match(await learner.locator(".toast--info").last().innerText(), /Hint from Teacher Kim/);
    await learner.locator(".hint-bubble").filter({ hasText: "Start with 아이스" }).waitFor();

    await card.getByRole("textbox", { name: "Add note" }).fill("Hesitates before numbers");
    await card.getByRole("button", { name: "Add note" }).click();
    await card.locator('[data-tutor-only="note"]').filter({ hasText: "Hesitates before numbers" }).waitFor();

    await teacher.getByRole("button", { name: /Advance/ }).click();
    await learner.waitForSelector('.turn[data-my-turn="true"][data-step="3"]');
    assert.equal(await learner.locator('.bubble--own[data-step="1"] .tag').innerText(), "skipped");
    await teacher.getByRole("button", { name: /Back/ }).click();
    await learner.waitForSelector('.turn[data-my-turn="true"][data-step="1"]');

    await teacher.getByRole("button", { name: "End session" }).click();
    await learner.waitForSelector('.lesson[data-phase="finished"] .finished[data-completed="false"]');
    assert.match(await learner.locator(".finished").innerText(), /This session has ended\./);
    await teacher.waitForSelector('.tutor-session[data-phase="finished"]');
    assert.equal(await teacher.getByRole("button", { name: /Advance/ }).isDisabled(), true);
    assert.equal(await learner.getByText("Hesitates before numbers").count(), 0, "tutor notes never reach the learner");
    await Promise.all([learnerContext.close(), tutorContext.close()]);
  });

  it("plays an Opus stream from a Unity-style client live to the tutor, decoding it as utterance-started says", async () => {
    const tutorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const teacher = await openPage(tutorContext, problems);
    const unity = await guest(server, "Joon");
    const room = await sdk(server).create("lesson", { lessonId: "ko-en-04-shopping", token: unity.token, platform: "unity" });
    try {
      room.send("start");
      await signInAsTutor(teacher, server);
      await teacher.goto(`${baseUrl(server)}/koto/#/tutor/session/${room.roomId}`);
      await teacher.locator(".learner-card").filter({ hasText: "Joon" }).waitFor();
      // participant.platform is synced: the tutor sees that this learner is on the Unity app.
      assert.equal(await teacher.locator(".learner-card").filter({ hasText: "Joon" }).locator('[data-platform="unity"]').textContent(), "Unity app");
      await teacher.getByRole("button", { name: "Listen live" }).click();

      const wav = decodeWav(readFileSync(new URL("../fixtures/audio/annyeonghaseyo-48k.wav", import.meta.url)));
      const encoder = new Encoder({ channels: 1, sample_rate: 48000, application: "voip" });
      const opened = nextMessage(room, "utterance-opened");
      room.send("utterance-open", { codec: "opus", sampleRate: 48000, mode: "push-to-talk" });
      await opened;
      let sequence = 0;
      for (let offset = 0; offset + 960 <= wav.samples.length; offset += 960) {
        room.sendBytes("audio", encodeAudioFrame(sequence++, encoder.encode(wav.samples.subarray(offset, offset + 960))));
        // Real time: one 20 ms packet every 20 ms, as a microphone would send them.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      room.send("utterance-close");
      // Decoded as Opus at 48 kHz, every 20 ms packet is 20 ms of sound (read as PCM16 it would be under 1 ms).
      await teacher.waitForFunction((sent) => Number(document.querySelector(".tutor-session")?.getAttribute("data-frames-played")) >= sent * 0.8, sequence);
      const seconds = Number(await teacher.locator(".tutor-session").getAttribute("data-seconds-played"));
      const frames = Number(await teacher.locator(".tutor-session").getAttribute("data-frames-played"));
      assert.ok(Math.abs(seconds - frames * 0.02) < 0.05, `${frames} frames scheduled as ${seconds} s`);
      await teacher.locator('.attempt[data-kind="spoken"]').waitFor();
    } finally {
      await room.leave();
      await tutorContext.close();
    }
  });

  it("lets a tutor evaluate a failed spoken answer again from the dashboard, after its session is gone", async () => {
    const learner = await guest(server, "Budi");
    await server.store.startSession({ id: "gone-session", lessonId: "ko-en-01-greetings", phase: "running" });
    const { attempt } = await server.store.recordAttempt({
      id: "failed-by-outage", sessionId: "gone-session", learnerId: learner.userId, lessonId: "ko-en-01-greetings", stepIndex: 1,
      kind: "spoken", status: "failed", text: "", correct: false, overall: null, accuracy: null, completeness: null, fluency: null,
      syllables: null, feedback: null, failureCode: "STT_UNAVAILABLE", failureReason: "Speech recognition is unavailable right now.", evaluation: null,
    });
    // The automatic retries have given up on it (otherwise the server's retry round could score it before the click).
    await server.store.updateAttempt({ ...attempt, retries: 10 });
    const wav = decodeWav(readFileSync(new URL("../fixtures/audio/annyeonghaseyo.wav", import.meta.url)));
    await server.speech.keeper.keep({ sessionId: "gone-session", learnerId: learner.userId, attemptId: "failed-by-outage" }, wav.samples, 1500);
    scriptedTranscripts.push(() => "안녕하세요");
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const teacher = await openPage(context, problems);
    await signInAsTutor(teacher, server);
    const row = teacher.locator('[data-attempt-id="failed-by-outage"]');
    await row.getByRole("button", { name: "Evaluate again" }).click();
    await row.waitFor({ state: "detached", timeout: BROWSER_WAIT_MS });
    assert.equal((await server.store.getAttempt("failed-by-outage"))?.status, "scored");
    await context.close();
  });

  it("explains a blocked microphone in the learner's language and lets them type their answers", async () => {
    // A browser that refuses every permission prompt, as when a learner clicks "Block".
    const blocking = await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_FLAGS, "--use-fake-device-for-media-stream", "--deny-permission-prompts"] });
    try {
      const context = await blocking.newContext({ viewport: { width: 390, height: 844 } });
      const page = await openPage(context, problems);
      await openLessonAsLearner(page, server, "Sari", "ko-id-01-greetings", "ko-id");
      assert.equal(await page.locator("html").getAttribute("lang"), "id");
      await page.getByRole("button", { name: "Mulai percakapan" }).click();
      await page.waitForSelector('.turn[data-my-turn="true"]');
      await page.locator(".mic-button").click();

      const problem = page.locator('.mic-problem[data-problem="denied"]');
      await problem.waitFor();
      assert.match(await problem.innerText(), /Mikrofon diblokir/);
      assert.match(await problem.innerText(), /tidak diizinkan memakai mikrofon[\s\S]*mengetik jawaban/);
      assert.equal(await problem.getAttribute("role"), "alert");
      assert.equal(await page.locator(".mic-button").getAttribute("aria-pressed"), "false");

      await page.getByLabel("Atau ketik jawaban Anda").fill("안녕하세요. 저는 사리예요.");
      await page.getByRole("button", { name: "Periksa" }).click();
      const result = page.locator('.result-card[data-status="scored"]');
      await result.waitFor();
      assert.match(await result.innerText(), /Bagus sekali!/);
      assert.match(await result.innerText(), /Anda mengetik: 안녕하세요\. 저는 사리예요\./);
      assert.equal(await result.locator('.score-bar[data-score="fluency"]').count(), 0, "typed answers have no fluency score");
      await page.waitForSelector('.turn[data-my-turn="true"][data-step="3"]');
      await page.screenshot({ path: join(screenshots, "learner-mic-denied.png"), fullPage: true });
      await result.getByRole("button", { name: "Lanjut" }).click();
      assert.equal(await page.locator(".result-card").isHidden(), true, "go on puts the result away");
      assert.equal(await page.locator(".mic-button").evaluate((button) => button === document.activeElement), false, "with no microphone, focus goes to typing");
      assert.equal(await page.locator("#typed-answer").evaluate((input) => input === document.activeElement), true);

      // Romanization and translation can be hidden.
      assert.equal(await page.locator(".prompt__romanization").isVisible(), true);
      await page.getByLabel("Romanisasi").uncheck();
      await page.getByLabel("Terjemahan").uncheck();
      assert.equal(await page.locator(".prompt__romanization").isVisible(), false);
      assert.equal(await page.locator(".prompt__translation").isVisible(), false);
      assert.equal(await page.locator(".prompt__korean").isVisible(), true);

      // The answer box stops at the longest answer the server takes…
      assert.equal(await page.locator("#typed-answer").getAttribute("maxlength"), "200");
      // …and an answer the server refuses anyway (from a client without that limit) comes back as a notice; the lesson carries on.
      await page.locator("#typed-answer").evaluate((input) => input.removeAttribute("maxlength"));
      await page.locator("#typed-answer").fill("가".repeat(201));
      await page.getByRole("button", { name: "Periksa" }).click();
      const notice = page.locator('[role="alert"] .toast--error[data-code="ANSWER_TOO_LONG"]');
      await notice.waitFor();
      // In the learner's language, from the code; the code itself is never shown.
      assert.match(await notice.innerText(), /Jawaban Anda terlalu panjang/);
      assert.doesNotMatch(await notice.innerText(), /ANSWER_TOO_LONG|at most 200 characters/);
      await page.locator("#typed-answer").fill("저도 반가워요. 저는 인도네시아 사람이에요.");
      await page.getByRole("button", { name: "Periksa" }).click();
      await page.waitForSelector('.turn[data-my-turn="true"][data-step="5"]');
      await context.close();
    } finally {
      await blocking.close();
    }
  });
});
