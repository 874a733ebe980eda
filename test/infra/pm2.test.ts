import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createPostgresDatabase, type TestDatabase } from "../support/databases.ts";
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
    assert.deepEqual(app.node_args, ["--import", "tsx"]);
    assert.equal(app.wait_ready, true);
    assert.ok(app.kill_timeout > 20_000, "kill_timeout must exceed DRAIN_DEADLINE_SECONDS (20 s)");
  });

  it("starts N processes on PORT + instance sharing rooms through Redis, and reloads them one by one", async () => {
    const env = {
      KOTO_INSTANCES: "2", PORT: String(basePort), REDIS_URL: redis.url, DATABASE_URL: database.url,
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

    await pm2(["reload", "koto-live"], env);
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
