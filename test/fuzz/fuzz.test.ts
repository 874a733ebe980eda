/**
 * Hostile input, generated: room messages of every type, binary frames, HTTP requests, forged
 * tokens and broken lesson files, while a bystander learner plays a lesson by typing. The server
 * runs in its own process. Holds when: the process never dies, no request gets a 500, no forged
 * token is accepted, the content loader refuses with CONTENT_INVALID and nothing else, the
 * bystander sees no error and keeps moving, and the server's heap comes back to where it was.
 *
 * `npm test` runs FUZZ_CASES=1000 (default); `npm run fuzz` runs 12,000 on each transport.
 */
import assert from "node:assert/strict";
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { Packr } from "msgpackr";
import { encode } from "@colyseus/schema";
import { Client, type Room } from "@colyseus/sdk";
import { SignJWT } from "jose";
import { loadContent } from "../../server/content/load-content.ts";
import { isKotoError } from "../../server/errors.ts";
import { rawRequest } from "../support/raw-http.ts";
import { fuzzCase, type ContentCase, type FuzzCase, type HttpCase, type RoomCase, type TokenCase } from "./arbitraries.ts";
import { Bystander } from "./bystander.ts";

const CASES = Number(process.env.FUZZ_CASES ?? 1000);
const TRANSPORTS = (process.env.FUZZ_TRANSPORTS ?? "uws").split(",") as ("uws" | "ws")[];
const JWT_SECRET = `fuzz-secret-${randomUUID()}`;
const LESSON = "ko-en-01-greetings";
const ROOM_DATA = 13;
const ROOM_DATA_BYTES = 17;
const ROOM_REQUEST = 21;
const packr = new Packr({ useRecords: false });
const repositoryContent = fileURLToPath(new URL("../../content", import.meta.url));
const realLesson = JSON.parse(readFileSync(join(repositoryContent, "packs/ko-en/lessons/01-greetings.json"), "utf8"));

for (const transport of TRANSPORTS) {
  describe(`Fuzzing a live server over ${transport} (${CASES} generated cases)`, function () {
    this.timeout(Math.max(300_000, CASES * 300));
    let child: ChildProcess;
    let port: number;
    let stderr = "";
    let exited: string | undefined;

    before(async () => {
      child = fork(fileURLToPath(new URL("./fuzz-server.ts", import.meta.url)), [], {
        execArgv: ["--import", "tsx", "--expose-gc", "--no-experimental-require-module"],
        env: { ...process.env, FUZZ_TRANSPORT: transport, FUZZ_JWT_SECRET: JWT_SECRET },
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      });
      child.stderr!.on("data", (chunk) => {
        stderr = (stderr + chunk).slice(-20_000);
        // FUZZ_SERVER_LOG=<file> keeps everything the server printed, for reading findings afterwards.
        if (process.env.FUZZ_SERVER_LOG) appendFileSync(process.env.FUZZ_SERVER_LOG, chunk);
      });
      child.on("exit", (code, signal) => (exited = `exited with ${code ?? signal}`));
      port = await new Promise<number>((resolve, reject) => {
        // tsx's loader may use the same IPC channel: only our own messages count.
        child.on("message", (message: any) => message?.kind === "listening" && resolve(message.port));
        child.once("exit", () => reject(new Error(`the fuzz server did not start:\n${stderr}`)));
      });
    });
    after(async () => {
      if (!exited) child.send({ kind: "stop" });
      await new Promise((resolve) => (exited ? resolve(undefined) : child.once("exit", resolve)));
    });

    const recentCases: FuzzCase[] = [];
    const alive = () => {
      if (!exited) return;
      const recent = recentCases.map((recentCase) => JSON.stringify(describeCase(recentCase))).join("\n  ");
      assert.fail(`the server process ${exited}; the last cases sent:\n  ${recent}\nits stderr:\n${stderr.slice(-4000)}`);
    };
    /** A refused connection usually means the process just died: wait for its exit to report that instead. */
    const aliveAfter = async (error: unknown) => {
      if (/ECONNREFUSED|ECONNRESET|closed/.test(String(error))) {
        await new Promise((resolve) => (exited ? resolve(undefined) : setTimeout(resolve, 2000)));
      }
      alive();
    };
    const memory = () => new Promise<{ heapUsed: number; rss: number; rooms: number }>((resolve) => {
      const listener = (message: any) => {
        if (message?.kind !== "memory") return;
        child.off("message", listener);
        resolve(message);
      };
      child.on("message", listener);
      child.send({ kind: "memory" });
    });

    it("keeps serving, refuses what it must, and the bystander learner sees no error", async () => {
      const base = `http://127.0.0.1:${port}`;
      if (process.env.FUZZ_VERBOSE) console.error("fuzz: starting the bystander");
      const bystander = await Bystander.start(base, LESSON);
      if (process.env.FUZZ_VERBOSE) console.error("fuzz: bystander started");
      const attackers = new Attackers(base);
      let ran = 0;
      try {
        // Warm up: every kind of case once, then take the heap as the steady level.
        if (process.env.FUZZ_VERBOSE) console.error("fuzz: warming up");
        await fc.assert(fc.asyncProperty(fuzzCase, async (generated) => runCase(generated)), { numRuns: Math.min(200, CASES), endOnFailure: true, seed: 1, reporter: reportBriefly });
        await attackers.reset();
        const steady = await memory();

        await fc.assert(fc.asyncProperty(fuzzCase, async (generated) => runCase(generated)), {
          numRuns: CASES, endOnFailure: true, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined, reporter: reportBriefly,
        });
        alive();
        if (process.env.FUZZ_VERBOSE) console.error(`fuzz: ${attackers.counts.frames} frames sent, ${attackers.counts.reopened} attacker rooms reopened, bystander answered ${bystander.answered}`);
        await attackers.reset();
        // The bystander must keep moving after the storm, not only survive it.
        await bystander.advance(3);
        assert.deepEqual(bystander.problems, [], "the bystander learner saw errors");
        let after = await memory();
        for (let round = 0; round < 20 && after.heapUsed > steady.heapUsed + 24 * 1024 * 1024; round++) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          after = await memory();
        }
        if (process.env.FUZZ_VERBOSE) console.error(`fuzz: heap ${mb(steady.heapUsed)} MB after warm-up, ${mb(after.heapUsed)} MB at the end (rss ${mb(steady.rss)} -> ${mb(after.rss)} MB)`);
        assert.ok(after.heapUsed <= steady.heapUsed + 24 * 1024 * 1024,
          `heap did not come back: ${mb(steady.heapUsed)} MB steady, ${mb(after.heapUsed)} MB after (${after.rooms} rooms open)`);
        alive();
      } finally {
        // Bounded: after a crash nothing answers, and the report above matters more than tidiness.
        await withinTime(15_000, "the attackers leaving", () => attackers.reset()).catch(() => {});
        await withinTime(15_000, "the bystander stopping", () => bystander.stop()).catch(() => {});
      }

      async function runCase(generated: FuzzCase): Promise<void> {
        ran += 1;
        if (process.env.FUZZ_VERBOSE && ran % Number(process.env.FUZZ_VERBOSE) === 0) console.error(`fuzz: ${ran} cases, bystander answered ${bystander.answered}`);
        alive();
        recentCases.push(generated);
        if (recentCases.length > 5) recentCases.shift();
        try {
          await withinTime(CASE_TIMEOUT_MS, `case ${JSON.stringify(describeCase(generated))}`, async () => {
            if (generated.kind === "http") await httpCase(base, generated);
            else if (generated.kind === "token") await tokenCase(base, generated);
            else if (generated.kind === "content") contentCase(generated);
            else await attackers.send(generated);
          });
        } catch (error) {
          await aliveAfter(error);
          throw error;
        }
        alive();
        assert.deepEqual(bystander.problems, [], `the bystander saw an error after ${JSON.stringify(describeCase(generated))}`);
      }
    });
  });
}

/** No single case may take this long: a hang is a failure, named with the case that caused it. */
const CASE_TIMEOUT_MS = 30_000;

async function withinTime<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms to ${what}`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** A short description for failure messages (payloads can be megabytes or thousands of levels deep). */
function describeCase(generated: FuzzCase | undefined): unknown {
  const shorten = (value: unknown, depth: number): unknown => {
    if (value instanceof Uint8Array) return `<${value.byteLength} bytes: ${Buffer.from(value.subarray(0, 32)).toString("hex")}>`;
    if (typeof value === "string") return value.length > 200 ? `${value.slice(0, 80)}…(${value.length} chars)` : value;
    if (typeof value === "bigint" || typeof value === "symbol" || typeof value === "function") return String(value);
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    if (value === null || typeof value !== "object") return value;
    if (depth > 6) return "<deeper>";
    if (Array.isArray(value)) return value.slice(0, 20).map((item) => shorten(item, depth + 1));
    const entries = Reflect.ownKeys(value).slice(0, 20).map((key) => {
      let item: unknown;
      try {
        item = (value as Record<PropertyKey, unknown>)[key];
      } catch {
        item = "<throws>";
      }
      return [String(key), shorten(item, depth + 1)];
    });
    return Object.fromEntries(entries);
  };
  return shorten(generated ?? null, 0);
}

/** fast-check's own report stringifies the whole counterexample, which overflows on deep payloads. */
const reportBriefly = (details: fc.RunDetails<[FuzzCase]>) => {
  if (!details.failed) return;
  const error = details.errorInstance as Error | undefined;
  throw new Error(`fuzz case ${details.numRuns} of seed ${details.seed} failed: ${error?.message ?? "?"}\ncase: ${JSON.stringify(describeCase(details.counterexample?.[0]))}`);
};

// ---- room messages ------------------------------------------------------------------------------

/** A learner and a tutor in a room of their own, sending whatever they are told to. */
class Attackers {
  private pair?: Promise<{ learner: Room; tutor: Room }>;

  constructor(private readonly base: string) {}

  /** Frames sent, and rooms opened because the server closed the previous ones. */
  readonly counts = { frames: 0, reopened: 0 };

  async send(generated: RoomCase): Promise<void> {
    let pair = await (this.pair ??= this.open());
    if (!pair.learner.connection.isOpen || !pair.tutor.connection.isOpen) {
      // The server may close a socket that sent garbage; that is a fair answer. Start over.
      await this.reset();
      this.counts.reopened += 1;
      pair = await (this.pair ??= this.open());
    }
    const room = generated.as === "tutor" ? pair.tutor : pair.learner;
    room.connection.send(frame(generated));
    this.counts.frames += 1;
    // Let the server work through it before the next case piles on.
    if (Math.random() < 0.05) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  async reset(): Promise<void> {
    const pair = this.pair;
    this.pair = undefined;
    if (!pair) return;
    const { learner, tutor } = await pair;
    await Promise.all([learner, tutor].map((room) => room.connection.isOpen
      ? withinTime(10_000, "an attacker leaving", () => room.leave()).catch(() => {}) : undefined));
  }

  private async open(): Promise<{ learner: Room; tutor: Room }> {
    const learnerToken = await signIn(this.base, "/api/auth/guest", { name: "Fuzz" });
    const tutorToken = await signIn(this.base, "/api/auth/login", { email: "fuzz-tutor@koto.test", password: "fuzz tutor password" });
    const client = new Client(this.base);
    const learner = await client.create("lesson", { lessonId: LESSON, token: learnerToken });
    const tutor = await client.joinById(learner.roomId, { token: tutorToken });
    // Errors are the expected answer to garbage; only a crash or a hang would matter.
    for (const room of [learner, tutor]) room.onMessage("*", () => {});
    return { learner, tutor };
  }
}

async function signIn(base: string, path: string, body: unknown): Promise<string> {
  const response = await fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const answer = (await response.json()) as any;
  if (!answer.token) throw new Error(`could not sign in at ${path}: ${JSON.stringify(answer)}`);
  return answer.token;
}

function frame(generated: RoomCase): Uint8Array {
  if (generated.kind === "raw-frame") return generated.bytes;
  const code = generated.kind === "room-bytes" ? ROOM_DATA_BYTES : generated.request ? ROOM_REQUEST : ROOM_DATA;
  const type = generated.type;
  const header = new Uint8Array(16 + (typeof type === "string" ? Buffer.byteLength(type) : 0) + 16);
  header[0] = code;
  const it = { offset: 1 };
  if (code === ROOM_REQUEST) encode.number(header, 1, it);
  if (typeof type === "string") encode.string(header, type, it);
  else encode.number(header, type, it);
  let body: Uint8Array;
  if (generated.kind === "room-bytes") body = generated.bytes;
  else {
    try {
      body = generated.payload === undefined ? new Uint8Array(0) : packr.pack(generated.payload);
    } catch {
      body = new Uint8Array(0);
    }
  }
  return Buffer.concat([header.subarray(0, it.offset), body]);
}

// ---- HTTP ---------------------------------------------------------------------------------------

async function httpCase(base: string, generated: HttpCase): Promise<void> {
  const port = Number(new URL(base).port);
  const sendsBody = !["GET", "HEAD"].includes(generated.method) && generated.body.length > 0;
  const lines = [`${generated.method} ${generated.path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
  for (const [name, value] of generated.headers) if (name !== "expect") lines.push(`${name}: ${value}`);
  if (sendsBody) lines.push(`Content-Length: ${Buffer.byteLength(generated.body)}`);
  let response;
  try {
    response = await rawRequest(port, lines.join("\r\n"), sendsBody ? generated.body : "", 20_000);
  } catch (error) {
    // A request the HTTP parser rejects may be closed without an answer; a hang is a failure.
    if (/closed without an answer|ECONNRESET|EPIPE/.test(String(error))) return;
    throw error;
  }
  // Colyseus' matchmaking protocol answers refusals with its own 520–526 codes, which its SDKs read
  // (520 unknown method, 521 bad criteria, 522 bad room id, 524 expired seat, 525 auth failed…).
  const matchmakingRefusal = generated.path.startsWith("/matchmake/") && response.status >= 520 && response.status <= 526
    && JSON.parse(response.body).code === response.status;
  assert.ok(response.status < 500 || matchmakingRefusal, `${generated.method} ${generated.path} answered ${response.status}: ${response.body.slice(0, 300)}`);
  if (response.status >= 400 && response.headers["content-type"]?.startsWith("application/json") && generated.method !== "HEAD") {
    const body = JSON.parse(response.body);
    // Colyseus' own matchmaking routes answer in the shape its SDKs read: { code?, error: string }.
    const colyseusShape = generated.path.startsWith("/matchmake/") && typeof body.error === "string";
    assert.ok(colyseusShape || typeof body.error?.code === "string", `${generated.method} ${generated.path}: error without a code: ${response.body.slice(0, 200)}`);
  }
}

// ---- tokens -------------------------------------------------------------------------------------

async function forge(generated: TokenCase): Promise<string> {
  const claims: Record<string, unknown> = {};
  if (generated.role !== "missing") claims.role = generated.role;
  if (generated.name === "string") claims.name = "Forger";
  if (generated.name === "number") claims.name = 7;
  if (generated.sub === "unknown-user") claims.sub = randomUUID();
  if (generated.sub === "number") claims.sub = 42;
  if (generated.sub === "empty") claims.sub = "";
  if (generated.iss !== "missing") claims.iss = generated.iss;
  const now = Math.floor(Date.now() / 1000);
  if (generated.exp === "past") claims.exp = now - 60;
  if (generated.exp === "future") claims.exp = now + 3600;
  if (generated.exp === "string") claims.exp = String(now + 3600);
  claims.iat = now;
  const secret = new TextEncoder().encode(generated.secret === "right" ? JWT_SECRET : `${JWT_SECRET}-not`);
  let token: string;
  if (generated.alg === "none" || generated.alg === "RS256") {
    const encodePart = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    token = `${encodePart({ alg: generated.alg, typ: "JWT" })}.${encodePart(claims)}.${generated.alg === "none" ? "" : "c2lnbmF0dXJl"}`;
  } else {
    token = await new SignJWT(claims).setProtectedHeader({ alg: generated.alg }).sign(secret);
  }
  const [head, body, signature] = token.split(".");
  switch (generated.tamper) {
    case "payload": return `${head}.${Buffer.from(JSON.stringify({ ...claims, role: "tutor" })).toString("base64url")}.${signature}`;
    case "signature": return `${head}.${body}.${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
    case "header": return `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${body}.${signature}`;
    case "truncate": return token.slice(0, Math.floor(token.length / 2));
    default: return token;
  }
}

async function tokenCase(base: string, generated: TokenCase): Promise<void> {
  const token = await forge(generated);
  if (generated.via === "http") {
    const response = await fetch(`${base}/api/progress/me`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as any;
    assert.ok(response.status === 401 || response.status === 403, `forged token ${JSON.stringify(generated)} got ${response.status}`);
    assert.match(body.error.code, /^AUTH_|^ACCOUNT_/);
    return;
  }
  const joined = await new Client(base).create("lesson", { lessonId: LESSON, token }).then(
    async (room) => { await room.leave(); return true; },
    () => false,
  );
  assert.equal(joined, false, `forged token ${JSON.stringify(generated)} joined a room`);
}

// ---- content files ------------------------------------------------------------------------------

function contentCase(generated: ContentCase): void {
  const root = mkdtempSync(join(tmpdir(), "koto-fuzz-content-"));
  cpSync(join(repositoryContent, "packs/ko-en/pack.json"), join(root, "packs/ko-en/pack.json"), { recursive: true });
  mkdirSync(join(root, "packs/ko-en/lessons"), { recursive: true });
  let text: string;
  if ("replaceWith" in generated.mutation) text = generated.mutation.replaceWith;
  else {
    const lesson = structuredClone(realLesson);
    let target: any = lesson;
    const { path, value, remove } = generated.mutation;
    for (const key of path.slice(0, -1)) {
      if (target === null || typeof target !== "object") break;
      target = target[key as never];
    }
    const last = path[path.length - 1];
    if (target !== null && typeof target === "object") {
      if (remove) delete target[last as never];
      else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
    }
    try {
      text = JSON.stringify(lesson) ?? "";
    } catch {
      text = "{";
    }
  }
  writeFileSync(join(root, "packs/ko-en/lessons/01-greetings.json"), text);
  try {
    const catalog = loadContent(root);
    assert.ok(catalog.packs.length === 1);
  } catch (error) {
    assert.ok(isKotoError(error) && error.code === "CONTENT_INVALID", `the loader failed with ${String(error)} on ${text.slice(0, 200)}`);
  }
}
