/**
 * Koto.Live.Core (the Unity SDK's engine-free assembly) compiled with Mono and tested with NUnit 2.6:
 * framing, conversion, resampling, the clip reader, the utterance state machine, the reconnect
 * policy, the attempt view, and the HTTP models against real answers of a server started here.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { KotoServer } from "../../server/app.ts";
import { hashPassword } from "../../server/auth/passwords.ts";
import { baseUrl, startTestServer } from "../support/koto-test-server.ts";
import { buildUnityCsharp, requireMono } from "./mono-build.ts";

const run = promisify(execFile);
const vectorsFile = new URL("../fixtures/audio-frame-vectors.json", import.meta.url).pathname;

interface CaseResult { name: string; executed: boolean; success: boolean; message: string }

/** Every <test-case> of an NUnit 2.6 result file. */
function testCases(xml: string): CaseResult[] {
  const cases: CaseResult[] = [];
  for (const match of xml.matchAll(/<test-case\b([^>]*?)(\/>|>([\s\S]*?)<\/test-case>)/g)) {
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(match[1])?.[1] ?? "";
    const message = /<message><!\[CDATA\[([\s\S]*?)\]\]><\/message>/.exec(match[3] ?? "")?.[1] ?? "";
    cases.push({ name: attribute("name"), executed: attribute("executed") === "True", success: attribute("success") === "True", message: message.trim() });
  }
  return cases;
}

describe("Unity SDK core (Mono + NUnit)", function () {
  this.timeout(180000);
  let server: KotoServer;
  const responses = mkdtempSync(join(tmpdir(), "koto-unity-api-"));

  /** Saves an API answer exactly as the server sent it (status, body, Retry-After), for the C# models to read. */
  async function capture(name: string, path: string, init: RequestInit = {}) {
    const response = await fetch(baseUrl(server) + path, init);
    writeFileSync(join(responses, `${name}.status`), String(response.status));
    writeFileSync(join(responses, `${name}.body`), await response.text());
    const retryAfter = response.headers.get("retry-after");
    if (retryAfter !== null) writeFileSync(join(responses, `${name}.retry-after`), retryAfter);
    return response;
  }
  const post = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  before(async () => {
    // Two wrong passwords for an account, then RATE_LIMITED with Retry-After.
    server = await startTestServer({ transport: "uws", env: { LOGIN_FAILURES_PER_ACCOUNT: "2" } });
    await capture("guest", "/api/auth/guest", post({ name: "Unity Learner" }));
    const signedIn = JSON.parse(readFileSync(join(responses, "guest.body"), "utf8"));
    const token = signedIn.token as string;
    const userId = signedIn.user.id as string;
    await server.store.createTutor("teacher@koto.test", "Teacher Kim", await hashPassword("correct horse battery", 4));
    await capture("login", "/api/auth/login", post({ email: "teacher@koto.test", password: "correct horse battery" }));
    await capture("login-wrong", "/api/auth/login", post({ email: "teacher@koto.test", password: "wrong" }));
    await capture("login-wrong-again", "/api/auth/login", post({ email: "teacher@koto.test", password: "wrong" }));
    await capture("login-limited", "/api/auth/login", post({ email: "teacher@koto.test", password: "wrong" }));
    await capture("guest-empty-name", "/api/auth/guest", post({ name: "" }));
    await capture("lessons", "/api/lessons");
    await capture("lessons-ko-id", "/api/lessons?pack=ko-id");
    await capture("lesson", "/api/lessons/ko-en-01-greetings");
    await capture("lesson-missing", "/api/lessons/no-such-lesson");
    await server.store.saveProgress({
      userId, lessonId: "ko-en-01-greetings", currentStep: 4, completedSteps: [1, 3], attemptsCount: 5, bestScore: 87, hintsUsed: 1, completedAt: null,
    });
    await capture("progress", "/api/progress/me", { headers: { authorization: `Bearer ${token}` } });
    await capture("progress-no-token", "/api/progress/me");
    await capture("progress-bad-token", "/api/progress/me", { headers: { authorization: "Bearer not-a-token" } });
    // Refusals of matchmaking, as the Colyseus SDK receives them over HTTP (it throws HttpException).
    const lesson = "ko-en-01-greetings";
    await capture("matchmake-bad-token", "/matchmake/create/lesson", post({ lessonId: lesson, token: "not-a-token", platform: "unity" }));
    await capture("matchmake-no-lesson", "/matchmake/create/lesson", post({ lessonId: "no-such-lesson", token, platform: "unity" }));
    await capture("matchmake-resume-unknown", "/matchmake/create/lesson", post({ lessonId: lesson, token, platform: "unity", resume: "nosuchsession" }));
    await capture("matchmake-reconnect-gone", "/matchmake/reconnect/nosuchsession", post({ reconnectionToken: "nosuchtoken" }));
  });
  after(async () => {
    await server?.close();
  });

  it("fails, naming what to install, on a machine without Mono (never skips)", () => {
    assert.throws(() => requireMono("/nonexistent"), /need Mono, which is missing here \(mcs, mono, nunit-console.*apt-get install -y --no-install-recommends mono-mcs mono-runtime nunit-console/s);
  });

  it("compiles the Core with warnings as errors and passes every NUnit test", async () => {
    const build = await buildUnityCsharp();
    const resultFile = join(build.dir, "nunit-result.xml");
    let output = "";
    try {
      const result = await run("nunit-console", ["-nologo", "-noshadow", `-xml=${resultFile}`, build.tests], {
        cwd: build.dir,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, KOTO_FRAME_VECTORS: vectorsFile, KOTO_API_RESPONSES: responses },
      });
      output = result.stdout;
    } catch (error: any) {
      // nunit-console exits non-zero when a test fails: the result file says which.
      output = `${error.stdout ?? ""}${error.stderr ?? ""}`;
    }
    let cases: CaseResult[];
    try {
      cases = testCases(readFileSync(resultFile, "utf8"));
    } catch {
      throw new Error(`nunit-console wrote no result file:\n${output}`);
    }
    const passed = cases.filter((test) => test.executed && test.success);
    const failed = cases.filter((test) => test.executed && !test.success);
    const notRun = cases.filter((test) => !test.executed);
    console.log(`      NUnit (Koto.Live.Core): ${passed.length} passed, ${failed.length} failed`);
    assert.deepEqual(failed.map((test) => `${test.name}: ${test.message}`), []);
    assert.deepEqual(notRun.map((test) => test.name), [], "no NUnit test may be skipped");
    assert.ok(passed.length >= 50, `only ${passed.length} NUnit tests ran`);
  });
});
