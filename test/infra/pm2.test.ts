import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { SERVER_ENV, SERVER_NODE_FLAGS } from "../../server/node-flags.mjs";
import { Client } from "@colyseus/sdk";
import type { LessonState } from "../../schema/index.ts";
import { SESSION_MOVING_CLOSE_CODE } from "../../protocol/session-moves.ts";
import { createPostgresDatabase, type TestDatabase } from "../support/databases.ts";
import { nextMessage, waitForState } from "../support/koto-test-server.ts";
import { LESSON, signInGuest, type LessonRoom } from "../support/cluster.ts";
import { freePort, root, startRedis, stopAll, waitFor, type TestRedis } from "../support/processes.ts";

const run = promisify(execFile);
const pm2Bin = join(root, "node_modules/pm2/bin/pm2");

interface Pm2Process { name: string; pid: number; pm2_env: { status: string; NODE_APP_INSTANCE?: number; restart_time: number } }

describe("ecosystem.config.js under PM2", function () {
  this.timeout(180_000);
  const pm2Home = mkdtempSync(join(tmpdir(), "koto-pm2-"));
  let redis: TestRedis;
  let database: TestDatabase;
  let basePort: number;

  const pm2 = async (args: string[], env: Record<string, string> = {}) =>
    (await run(process.execPath, [pm2Bin, ...args], { cwd: root, env: { ...process.env, PM2_HOME: pm2Home, ...env }, maxBuffer: 16 * 1024 * 1024 })).stdout;
  const list = async () => JSON.parse(await pm2(["jlist"])) as Pm2Process[];
  const health = async (port: number) => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return response.ok ? (await response.json()) as { processId: string; coordination: string } : undefined;
  };

  before(async () => {
    [redis, database] = await Promise.all([startRedis(), createPostgresDatabase()]);
    basePort = await consecutiveFreePorts(2);
  });

  after(async () => {
    await pm2(["kill"]).catch(() => {});
    await stopAll();
    await database?.drop();
  });

  it("asks for one process per core, run by the pinned Node directly, with a kill timeout above the drain deadline", () => {
    const { apps: [app] } = createRequire(import.meta.url)(join(root, "ecosystem.config.js"));
    assert.equal(app.instances, availableParallelism());
    assert.equal(app.exec_mode, "fork");
    assert.equal(app.script, "server/main.ts");
    assert.equal(app.interpreter, join(root, "node_modules/node/bin/node"));
    assert.deepEqual(app.node_args, [...SERVER_NODE_FLAGS, "--import", "tsx"]);
    for (const [name, value] of Object.entries(SERVER_ENV)) assert.equal(app.env[name], value, name);
    assert.equal(app.wait_ready, true);
    assert.ok(app.kill_timeout > 20_000, "kill_timeout must exceed DRAIN_DEADLINE_SECONDS (20 s)");
    assert.ok(app.exp_backoff_restart_delay > 0, "a process that cannot start is restarted with growing pauses, not in a loop");
  });

  it("starts N processes on PORT + instance sharing rooms through Redis, and reloads them one by one while a learner goes on", async () => {
    const env = {
      KOTO_INSTANCES: "2", PORT: String(basePort), REDIS_URL: redis.url, DATABASE_URL: database.url, PUBLIC_ADDRESS: "127.0.0.1:{port}",
      DATA_DIR: mkdtempSync(join(tmpdir(), "koto-pm2-data-")), JWT_SECRET: "pm2-test-secret-that-is-long-enough-1234",
    };
    // wait_ready: `pm2 start` returns once each process has said it is listening.
    await pm2(["start", "ecosystem.config.js"], env);
    const started = await list();
    assert.deepEqual(started.map((process) => process.pm2_env.status), ["online", "online"]);
    assert.deepEqual(started.map((process) => process.pm2_env.NODE_APP_INSTANCE).sort(), [0, 1]);
    const before = await Promise.all([health(basePort), health(basePort + 1)]);
    assert.equal(before[0]?.coordination, "redis");
    assert.notEqual(before[0]?.processId, before[1]?.processId);

    // A learner mid-lesson, who follows the session wherever it moves (as the web client does).
    const endpoints = [basePort, basePort + 1].map((port) => `http://127.0.0.1:${port}`);
    const learner = await signInGuest(endpoints[0], "Mina");
    let room: LessonRoom = await new Client(endpoints[0]).create<LessonState>("lesson", { lessonId: LESSON, token: learner.token, platform: "web" });
    const sessionId = room.roomId;
    room.send("start");
    await waitForState(room, (state) => state.phase === "running", "the lesson to start", 15_000);
    const step = room.state.currentStep;
    const accepted = nextMessage(room, "attempt-accepted", 15_000);
    room.send("answer", { step, text: room.state.steps[step].accepted[0] });
    await accepted;
    await waitForState(room, (state) => state.currentStep > step, "the lesson to move on", 15_000);
    const reached = room.state.currentStep;
    let moves = 0;
    const follow = (current: LessonRoom) => current.onLeave(async (code) => {
      if (code !== SESSION_MOVING_CLOSE_CODE) return;
      moves += 1;
      room = await waitFor(async () => {
        for (const endpoint of endpoints) {
          const resumed = await new Client(endpoint)
            .create<LessonState>("lesson", { lessonId: LESSON, token: learner.token, platform: "web", resume: sessionId })
            .catch(() => undefined);
          if (resumed) return resumed;
        }
        return undefined;
      }, "the session to resume on a live process", 60_000, 200);
      follow(room);
    });
    follow(room);

    await pm2(["reload", "koto-live"], env);
    await waitFor(() => moves > 0 && room.connection.isOpen && room.roomId === sessionId, "the learner to be back in the session");
    const state = await waitForState(room, (s) => s.attempts.length === 1 && s.progress.size === 1, "the resumed session", 15_000);
    assert.equal(state.currentStep, reached, "the same line after the reload");
    await room.leave();
    const reloaded = await list();
    assert.deepEqual(reloaded.map((process) => process.pm2_env.status), ["online", "online"]);
    for (const [index, process] of reloaded.entries()) assert.notEqual(process.pid, started[index].pid, "each process was replaced");
    const after = await waitFor(async () => {
      const answers = await Promise.all([health(basePort), health(basePort + 1)]);
      return answers.every(Boolean) ? answers : undefined;
    }, "both processes to answer after the reload");
    assert.ok(after.every((answer, index) => answer!.processId !== before[index]!.processId));
  });
});

/** A base port whose next `count - 1` ports are free too (PM2 instances use PORT + instance). */
async function consecutiveFreePorts(count: number): Promise<number> {
  const { createServer } = await import("node:net");
  const isFree = (port: number) => new Promise<boolean>((resolve) => {
    const probe = createServer().once("error", () => resolve(false)).listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
  for (;;) {
    const base = await freePort();
    let ok = true;
    for (let offset = 1; offset < count && ok; offset++) ok = await isFree(base + offset);
    if (ok) return base;
  }
}
