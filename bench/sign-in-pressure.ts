/**
 * `npm run bench:sign-in`: what a burst of wrong tutor logins does to everyone else. Starts the
 * server (`server/main.ts` of KOTO_ROOT, default this checkout, so an older checkout can be
 * measured the same way) in its own process, then fires 12 concurrent wrong logins while polling
 * /healthz and GET /api/lessons (another user's request) every 10 ms, and prints their latency.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep, summarize } from "./lib/stats.ts";

const root = process.env.KOTO_ROOT ?? fileURLToPath(new URL("..", import.meta.url));
const LOGINS = Number(process.env.BENCH_LOGINS ?? 12);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port: free } = probe.address() as { port: number };
    probe.close(() => resolve(free));
  });
});
const server = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
  cwd: root,
  env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), "koto-bench-signin-")), LOG_LEVEL: "warn", SERVE_WEB_CLIENT: "false" },
  stdio: ["ignore", "inherit", "inherit"],
});
const base = `http://127.0.0.1:${port}`;
try {
  for (let tries = 0; ; tries++) {
    if (await fetch(`${base}/healthz`).then((response) => response.ok, () => false)) break;
    if (tries > 300) throw new Error("the server did not start");
    await sleep(100);
  }
  const timed = async (path: string, samples: number[]) => {
    const started = performance.now();
    await fetch(base + path).then((response) => response.arrayBuffer());
    samples.push(performance.now() - started);
  };
  const quiet = { health: [] as number[], lessons: [] as number[] };
  for (let index = 0; index < 100; index++) {
    await timed("/healthz", quiet.health);
    await timed("/api/lessons", quiet.lessons);
  }
  const busy = { health: [] as number[], lessons: [] as number[], logins: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    let done = false;
    const pollers = ["/healthz", "/api/lessons"].map(async (path) => {
      while (!done) {
        await timed(path, path === "/healthz" ? busy.health : busy.lessons);
        await sleep(10);
      }
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: LOGINS }, (_, index) => fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${round * LOGINS + index}` },
      body: JSON.stringify({ email: `nobody${index}@koto.test`, password: "wrong password" }),
    }).then(async (response) => {
      await response.arrayBuffer();
      busy.logins.push(performance.now() - started);
    })));
    done = true;
    await Promise.all(pollers);
    await sleep(300);
  }
  const row = (name: string, samples: number[]) => {
    const summary = summarize(samples);
    return `${name.padEnd(38)} n=${String(summary.count).padStart(4)}  p50 ${(summary.p50 ?? NaN).toFixed(1).padStart(7)} ms  p95 ${(summary.p95 ?? NaN).toFixed(1).padStart(7)} ms  max ${(summary.max ?? NaN).toFixed(1).padStart(7)} ms`;
  };
  console.log(`sign-in pressure (${root}): ${LOGINS} concurrent wrong logins x ${ROUNDS} rounds`);
  console.log(row("/healthz, quiet", quiet.health));
  console.log(row("GET /api/lessons, quiet", quiet.lessons));
  console.log(row("/healthz, during the logins", busy.health));
  console.log(row("GET /api/lessons, during the logins", busy.lessons));
  console.log(row("each wrong login, from the burst start", busy.logins));
} finally {
  server.kill("SIGTERM");
}
