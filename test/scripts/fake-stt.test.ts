import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { OpenAiSpeechToText } from "../../server/speech/stt/openai-speech-to-text.ts";
import { makeTestWav } from "../fakes/test-wav.ts";

const projectRoot = resolve(import.meta.dirname, "../..");

describe("npm run fake-stt", function () {
  this.timeout(60_000);

  it("serves the OpenAI transcription API on loopback, heard as FAKE_STT_TRANSCRIPT, and says how to start the server against it", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/fake-stt.ts"], {
      cwd: projectRoot, env: { ...process.env, FAKE_STT_TRANSCRIPT: "감사합니다" }, stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      let printed = "";
      const baseUrl = await new Promise<string>((found, failed) => {
        child.stdout.on("data", (chunk: Buffer) => {
          printed += chunk.toString();
          const match = /OPENAI_STT_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(printed);
          if (match) found(match[1]);
        });
        child.once("exit", (code) => failed(new Error(`exited with ${code}: ${printed}`)));
      });
      assert.match(printed, /STT_PROVIDER=openai/);
      // The production client, unchanged, is what talks to it.
      const stt = new OpenAiSpeechToText({ baseUrl, timeoutMs: 10_000 });
      assert.deepEqual(await stt.transcribe({ wav: makeTestWav(), language: "ko" }), { text: "감사합니다", provider: "openai" });
    } finally {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    }
  });
});
