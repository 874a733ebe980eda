/**
 * The Unity SDK's WebGL microphone plugin (unity-sdk/Runtime/Plugins/WebGL/KotoMicrophone.jslib) in
 * real Chromium with a fake capture device playing Korean speech. Unity's build tools are not here,
 * so the test stands in for what they provide: `mergeInto`/`autoAddDeps` collect the library, the
 * `{{{ makeDynCall(…) }}}` macro becomes a direct call (the callbacks are JavaScript functions here,
 * function-table entries in a build), and `_malloc`/`HEAPF32` are a plain heap. Everything else —
 * getUserMedia, the AudioWorklet from a Blob, the gesture unlock, the heap copies — runs as shipped.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

const jslibPath = fileURLToPath(new URL("../../unity-sdk/Runtime/Plugins/WebGL/KotoMicrophone.jslib", import.meta.url));
const speech = fileURLToPath(new URL("../fixtures/audio/annyeonghaseyo-48k.wav", import.meta.url));

/** The .jslib as Unity's emscripten step would see it, with its template macro expanded to a direct call. */
function loadableJslib(): string {
  return readFileSync(jslibPath, "utf8").replace(/\{\{\{ makeDynCall\('[a-z]+', '([^']+)'\) \}\}\}/g, "($1)");
}

/** What Unity's WebGL build provides around a .jslib: a heap, an allocator, and the library collector. */
const HARNESS = `
  window.HEAPF32 = new Float32Array(1 << 20);
  let nextFree = 1024;
  window._malloc = (bytes) => { const pointer = nextFree; nextFree += Math.ceil(bytes / 16) * 16; return pointer; };
  window._free = () => {};
  window.LibraryManager = { library: {} };
  window.mergeInto = (library, entries) => Object.assign(library, entries);
  window.autoAddDeps = () => {};
  new Function(${JSON.stringify(loadableJslib())})();
  window.kotoMic = LibraryManager.library.$kotoMic;
`;

/**
 * Headless Chromium lets audio start without a gesture, whatever the autoplay flag (and a page
 * opened by playwright already counts as user-activated). A learner's browser does not: this
 * AudioContext starts suspended and resumes only from inside the handler of a trusted input event
 * (window.event), which playwright's real mouse click produces and page scripts cannot fake.
 */
const GESTURE_GATED_AUDIO = `
  window.AudioContext = class GestureGatedAudioContext extends AudioContext {
    constructor(options) {
      super(options);
      this.unlocked = false;
      // Chromium starts the context on its own; hold it suspended until a gesture unlocks it.
      this.addEventListener("statechange", () => { if (!this.unlocked && super.state === "running") super.suspend(); });
      super.suspend();
    }
    get state() { return this.unlocked ? super.state : "suspended"; }
    resume() {
      const event = window.event;
      const gesture = event && event.isTrusted && ["pointerdown", "pointerup", "mousedown", "mouseup", "click", "touchend", "keydown", "keyup"].includes(event.type);
      if (!gesture) return Promise.resolve();
      this.unlocked = true;
      return super.resume();
    }
  };
`;
describe("Unity SDK WebGL microphone plugin in Chromium", function () {
  this.timeout(60000);
  let browser: Browser;
  let http: Server;
  const problems: string[] = [];

  before(async () => {
    // getUserMedia needs a secure context: a page from http://127.0.0.1 is one.
    http = createServer((_, response) => response.end("<!doctype html><title>KOTO WebGL microphone</title><body style='height:100vh'>"));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${speech}`],
    });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => http?.close(resolve));
  });

  /** A page with the plugin loaded as a WebGL build would, whose callbacks record statuses and samples. */
  async function pluginPage(): Promise<Page> {
    const page = await browser.newPage();
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    // Plain JavaScript strings: functions compiled by tsx would carry helpers the page does not have.
    await page.evaluate(`${GESTURE_GATED_AUDIO}${HARNESS}
      window.received = { statuses: [], blocks: 0, samples: 0, energy: 0, rate: 0, sizes: new Set() };
      window.onSamples = (pointer, count, rate) => {
        const block = HEAPF32.subarray(pointer >> 2, (pointer >> 2) + count);
        received.blocks++;
        received.samples += count;
        received.rate = rate;
        received.sizes.add(count);
        for (let index = 0; index < count; index++) received.energy += block[index] * block[index];
      };
      window.startMicrophone = () => LibraryManager.library.KotoMic_Start(onSamples, (status) => received.statuses.push(status));
      window.stopMicrophone = () => LibraryManager.library.KotoMic_Stop();
      window.prepareMicrophone = () => LibraryManager.library.KotoMic_Prepare();`);
    return page;
  }

  const received = (page: Page) => page.evaluate(() => {
    const r = (window as any).received;
    return { statuses: r.statuses as number[], blocks: r.blocks as number, samples: r.samples as number, rms: Math.sqrt(r.energy / r.samples), rate: r.rate as number, sizes: [...r.sizes] as number[] };
  });
  const samplesBeyond = (page: Page, count: number) =>
    page.waitForFunction((after) => {
      const r = (window as any).received;
      return r.rate > 0 && r.samples >= after + r.rate * 1.5;
    }, count, { timeout: 20000 });

  it("streams float blocks of the device's audio into the heap once a gesture has unlocked audio, stops, and starts again", async () => {
    const page = await pluginPage();
    await page.evaluate(() => (window as any).startMicrophone());
    // Suspended until a gesture: a real click resumes it (the plugin listens for pointerup, touchend, keyup).
    await page.waitForFunction(() => (window as any).received.statuses.length > 0, undefined, { timeout: 20000 })
      .catch(() => assert.fail(`the plugin reported nothing; page errors: ${problems.join("; ") || "none"}`));
    assert.deepEqual((await received(page)).statuses, [2], `page errors: ${problems.join("; ") || "none"}`);
    assert.equal((await received(page)).samples, 0, "nothing flows before the gesture");
    await page.mouse.click(20, 20);
    await page.waitForFunction(() => (window as any).received.statuses.includes(1));
    await samplesBeyond(page, 0);

    const first = await received(page);
    console.log(`      statuses ${JSON.stringify(first.statuses)}, ${first.blocks} blocks at ${first.rate} Hz, rms ${first.rms.toFixed(3)}`);
    assert.deepEqual(first.statuses, [2, 1]);
    assert.ok([44100, 48000].includes(first.rate), `captured at ${first.rate} Hz`);
    assert.deepEqual(first.sizes, [1024], "the worklet batches 128-sample quanta into 1024-sample blocks");
    // The fake device plays espeak-ng Korean with pauses: clearly more than silence, clearly not clipped noise.
    assert.ok(first.rms > 0.01 && first.rms < 0.5, `rms ${first.rms}`);

    await page.evaluate(() => (window as any).stopMicrophone());
    const stopped = await page.evaluate(() => ({ statuses: (window as any).received.statuses, stream: (window as any).kotoMic.stream, state: (window as any).kotoMic.context.state }));
    assert.deepEqual(stopped.statuses, [2, 1, 5]);
    assert.equal(stopped.stream, null, "the microphone track is closed between answers");
    assert.equal(stopped.state, "running", "the unlocked audio context is kept for the next answer");

    // The next answer needs no gesture: it starts at once, with no click.
    const before = (await received(page)).samples;
    await page.evaluate(() => (window as any).startMicrophone());
    await page.waitForFunction(() => (window as any).received.statuses.length === 4);
    await samplesBeyond(page, before);
    assert.deepEqual((await received(page)).statuses, [2, 1, 5, 1]);
    await page.evaluate(() => (window as any).stopMicrophone());
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("is unlocked by the player's first click anywhere once prepared, so the first answer starts at once", async () => {
    const page = await pluginPage();
    await page.evaluate(() => (window as any).prepareMicrophone());
    await page.mouse.click(30, 30);
    await page.waitForFunction(() => (window as any).kotoMic.context.state === "running");
    await page.evaluate(() => (window as any).startMicrophone());
    await samplesBeyond(page, 0);
    assert.deepEqual((await received(page)).statuses, [1]);
    await page.evaluate(() => (window as any).stopMicrophone());
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("reports a refused microphone as denied", async () => {
    const blocking = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--use-fake-device-for-media-stream", "--deny-permission-prompts"],
    });
    try {
      const denied = await blocking.newPage();
      await denied.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
      const statuses = await denied.evaluate(`${HARNESS}
        new Promise((resolve) => {
          const seen = [];
          LibraryManager.library.KotoMic_Start(() => {}, (status) => { seen.push(status); if (status === 3 || status === 4) resolve(seen); });
        })`);
      assert.deepEqual(statuses, [3]);
    } finally {
      await blocking.close();
    }
  });
});
