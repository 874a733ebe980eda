import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "../../server/node-flags.mjs";
import { startTestServer } from "../support/koto-test-server.ts";
import { freePort } from "../support/processes.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(root, "node_modules/.bin/tsx");

/** Runs a project script to completion (or until `until` says so) and returns its output. */
function run(args: string[], env: Record<string, string>, options: { until?: (output: string) => boolean; input?: string; timeoutMs?: number } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; kill: () => void }>((resolve, reject) => {
    // Its own process group: on a timeout the whole group is killed, not only the tsx wrapper (a
    // SIGKILL cannot be passed on, and the server underneath would live on as an orphan).
    const child = spawn(tsx, args, { cwd: root, env: { ...process.env, LOG_LEVEL: "info", ...env }, detached: true });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      reject(new Error(`timed out: ${args.join(" ")}\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    const check = () => {
      if (options.until?.(stdout + stderr)) {
        clearTimeout(timer);
        resolve({ code: null, stdout, stderr, kill: () => child.kill("SIGTERM") });
      }
    };
    child.stdout.on("data", (chunk) => { stdout += chunk; check(); });
    child.stderr.on("data", (chunk) => { stderr += chunk; check(); });
    if (options.input !== undefined) child.stdin.end(options.input);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, kill: () => {} });
    });
  });
}

describe("Server start-up", function () {
  this.timeout(180_000);

  for (const transport of ["uws", "ws"] as const) {
    it(`fails loudly when the port is taken (${transport})`, async () => {
      const first = await startTestServer({ transport });
      try {
        await assert.rejects(
          startTestServer({ transport, env: { PORT: String(first.port) } }),
          /LISTEN_FAILED|EADDRINUSE/,
        );
      } finally {
        await first.close();
      }
    });

    it(`binds only the configured host (${transport})`, async () => {
      const server = await startTestServer({ transport });
      try {
        assert.equal((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status, 200);
        // Another loopback address reaches a server bound to 0.0.0.0, but not one bound to 127.0.0.1.
        await assert.rejects(fetch(`http://127.0.0.2:${server.port}/healthz`));
      } finally {
        await server.close();
      }
    });
  }

  it("`npm start` serves with embedded defaults and stops on SIGTERM", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), "koto-start-"));
    const started = await run(["server/main.ts"], { PORT: String(port), DATA_DIR: dataDir }, { until: (output) => output.includes("KOTO Live is listening") });
    try {
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as Record<string, unknown>;
      assert.equal(health.status, "ok");
      assert.equal(health.store, "pglite");
      assert.equal(health.transport, "uws");
      assert.match(String(health.node), /^v24\./);
      assert.match(started.stdout + started.stderr, /JWT_SECRET is not set/);
    } finally {
      started.kill();
    }
  });

  it("on its embedded defaults loads no client of a service it does not use (Redis, Postgres, S3, Gemini)", async () => {
    // Each of those clients costs 10–40 MB resident when loaded (docs/capacity.md §4.11).
    const port = await freePort();
    const traced = join(mkdtempSync(join(tmpdir(), "koto-packages-")), "packages.txt");
    const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--import", join(root, "test/support/trace-packages.mjs"), "--import", "tsx", "server/main.ts"], {
      cwd: root, env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), "koto-lazy-")), LOG_LEVEL: "info", TRACE_PACKAGES_FILE: traced },
    });
    const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
    try {
      await listening(server, exited, "the server");
      assert.equal(((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { store: string }).store, "pglite");
      server.kill("SIGTERM");
      assert.equal(await exited, 0);
      const loaded = readFileSync(traced, "utf8").trim().split("\n");
      // The tracer works: what the server does use is there.
      for (const used of ["@colyseus/core", "@electric-sql/pglite", "uWebSockets.js"]) assert.ok(loaded.includes(used), `${used} not traced`);
      for (const unused of ["ioredis", "@colyseus/redis-driver", "@colyseus/redis-presence", "pg", "minio", "@google/genai"]) {
        assert.ok(!loaded.includes(unused), `${unused} was loaded by a server that does not use it`);
      }
    } finally {
      server.kill("SIGKILL");
    }
  });

  it("`npm start` runs the server with the shared Node flags, and a SIGTERM to npm drains and stops it", async () => {
    const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
    // `exec`: npm runs scripts through `sh -c`, which does not pass npm's SIGTERM on; the server must get it itself.
    const environment = Object.entries(SERVER_ENV).map(([name, value]) => `${name}=${value} `).join("");
    assert.equal(scripts.start, `${environment}exec node ${SERVER_NODE_FLAGS.join(" ")} --import tsx server/main.ts`);
    const port = await freePort();
    const npm = spawn("npm", ["start"], {
      cwd: root, env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), "koto-npm-start-")), LOG_LEVEL: "info" },
    });
    const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
    try {
      const output = await listening(npm, exited, "npm start");
      assert.equal(((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string }).status, "ok");
      // The flags let the server give start-up's memory back before its first client (server/gc-tuning.ts).
      const listeningLine = output().split("\n").find((line) => line.includes("KOTO Live is listening"));
      assert.equal(typeof (JSON.parse(listeningLine!) as { startUpMemoryReleasedMb?: unknown }).startUpMemoryReleasedMb, "number", String(listeningLine));
      npm.kill("SIGTERM");
      assert.equal(await exited, 0);
      assert.match(output(), /draining/);
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
    } finally {
      npm.kill("SIGKILL");
    }
  });

  it("stops with a message naming the variable when configuration is invalid", async () => {
    const result = await run(["server/main.ts"], { PORT: "fifty", DATA_DIR: mkdtempSync(join(tmpdir(), "koto-start-")) });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /CONFIG_INVALID: .*PORT="fifty"/);
  });

  it("stops naming the file, lesson and field when a content pack is invalid", async () => {
    const content = mkdtempSync(join(tmpdir(), "koto-content-"));
    mkdirSync(join(content, "packs/ko-en/lessons"), { recursive: true });
    writeFileSync(join(content, "packs/ko-en/pack.json"), JSON.stringify({ id: "ko-en", title: "Korean", learnerLanguage: "en" }));
    writeFileSync(join(content, "packs/ko-en/lessons/01-hello.json"), JSON.stringify({ id: "ko-en-01-hello", title: "Hello" }));
    const result = await run(["server/main.ts"], { CONTENT_DIR: content, DATA_DIR: mkdtempSync(join(tmpdir(), "koto-start-")), PORT: String(await freePort()) });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /CONTENT_INVALID/);
    assert.match(result.stderr, /packs\/ko-en\/lessons\/01-hello\.json \(lesson ko-en-01-hello\): steps/);
  });
});

describe("koto CLI", function () {
  this.timeout(180_000);

  it("creates a tutor who can then sign in", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "koto-cli-"));
    const created = await run(["server/cli.ts", "create-tutor", "Kim@Koto.test", "--name", "Teacher Kim"], { DATA_DIR: dataDir }, { input: "a long enough password\n" });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created tutor kim@koto\.test \(Teacher Kim/);
    const again = await run(["server/cli.ts", "create-tutor", "kim@koto.test"], { DATA_DIR: dataDir, KOTO_TUTOR_PASSWORD: "another long password" });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /TUTOR_EXISTS/);

    const server = await startTestServer({ dataDir });
    try {
      const login = await fetch(`http://127.0.0.1:${server.port}/api/auth/login`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "kim@koto.test", password: "a long enough password" }),
      });
      assert.equal(login.status, 200);
      const wrong = await fetch(`http://127.0.0.1:${server.port}/api/auth/login`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "kim@koto.test", password: "not the password" }),
      });
      assert.equal(wrong.status, 401);
      assert.equal(((await wrong.json()) as any).error.code, "LOGIN_FAILED");
    } finally {
      await server.close();
    }
  });

  it("refuses a short password and a missing email", async () => {
    const short = await run(["server/cli.ts", "create-tutor", "a@b.test"], { DATA_DIR: mkdtempSync(join(tmpdir(), "koto-cli-")), KOTO_TUTOR_PASSWORD: "short" });
    assert.equal(short.code, 1);
    assert.match(short.stderr, /PASSWORD_TOO_SHORT/);
    const usage = await run(["server/cli.ts", "create-tutor"], {});
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /usage/);
    const help = await run(["server/cli.ts", "help"], {});
    assert.equal(help.code, 0);
    assert.match(help.stdout, /create-tutor <email>/);
    // No command at all: the same list, not labelled as an error code, with a usage exit status.
    const bare = await run(["server/cli.ts"], {});
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /^usage:/);
    assert.doesNotMatch(bare.stderr, /USAGE:/);
  });

  it("prints exactly one JSON object for `score`", async () => {
    const result = await run(["server/cli.ts", "score", "저는 학생이에요", "저는 학생이에오"], {});
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines.length, 1);
    const parsed = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(parsed), ["overall", "accuracy", "completeness", "passes", "standard", "syllables"]);
    assert.deepEqual(parsed.syllables.find((s: any) => s.verdict !== "correct"), parsed.syllables.find((s: any) => s.target === "요" && s.heard === "오"));
  });
});

/** Waits until the child says it listens (rejecting with what it printed if it exits first); then reads all it printed. */
function listening(child: ChildProcessWithoutNullStreams, exited: Promise<number | null>, what: string): Promise<() => string> {
  let output = "";
  return new Promise((resolve, reject) => {
    const check = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("KOTO Live is listening")) resolve(() => output);
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    void exited.then((code) => reject(new Error(`${what} exited (${code}) before listening:\n${output}`)));
  });
}
