import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import bcryptjs from "bcryptjs";
import { SignJWT } from "jose";
import { Client } from "@colyseus/sdk";
import type { KotoServer } from "../../server/app.ts";
import { hashPassword, verifyPassword } from "../../server/auth/passwords.ts";
import { baseUrl, getJson, guest, postJson, startTestServer } from "../support/koto-test-server.ts";
import { createPostgresDatabase, type TestDatabase } from "../support/databases.ts";
import { runKotoCli } from "../support/cli.ts";
import { Redis } from "ioredis";
import { RateLimitedError, SignInGate } from "../../server/auth/sign-in-limits.ts";
import { startRedis, stopAll, type TestRedis } from "../support/processes.ts";

const JWT_SECRET = "a-test-secret-that-is-long-enough-for-hs256";
const from = (address: string) => ({ "x-forwarded-for": address });

describe("Passwords", function () {
  this.timeout(60_000);

  it("still accepts hashes bcryptjs made", async () => {
    for (const cost of [4, 10, 12]) {
      const stored = bcryptjs.hashSync("correct horse battery", cost);
      assert.equal(await verifyPassword("correct horse battery", stored), true, `cost ${cost}`);
      assert.equal(await verifyPassword("correct horse batterY", stored), false, `cost ${cost}`);
    }
    assert.equal(bcryptjs.compareSync("a new password!", await hashPassword("a new password!", 4)), true);
  });

  it("answers false, not an error, for a malformed stored hash", async () => {
    assert.equal(await verifyPassword("anything at all", "not-a-bcrypt-hash"), false);
  });

  it("checks passwords off the event loop thread", async () => {
    // CPU time, not wall-clock time: six cost-12 checks are ~1.5 s of work, none of it on this thread.
    const stored = bcryptjs.hashSync("correct horse battery", 12);
    const before = process.threadCpuUsage();
    await Promise.all(Array.from({ length: 6 }, () => verifyPassword("wrong password here", stored)));
    const used = process.threadCpuUsage(before);
    const usedMs = (used.user + used.system) / 1000;
    assert.ok(usedMs < 150, `the event loop thread spent ${usedMs.toFixed(0)} ms of CPU on password checks`);
  });
});

describe("Sign-in rate limits", function () {
  this.timeout(60_000);
  let server: KotoServer;
  before(async () => {
    server = await startTestServer({
      env: { LOGIN_ATTEMPTS_PER_ADDRESS: "5", LOGIN_FAILURES_PER_ACCOUNT: "3", GUESTS_PER_ADDRESS_PER_HOUR: "4" },
    });
    await server.store.createTutor("kim@koto.test", "Teacher Kim", await hashPassword("correct horse battery", 4));
    await server.store.createTutor("lee@koto.test", "Teacher Lee", await hashPassword("correct horse battery", 4));
  });
  after(async () => {
    await server.close();
  });

  it("refuses a sixth login from one address with 429 and Retry-After, other addresses still get in", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await postJson(server, "/api/auth/login", { email: `nobody${attempt}@koto.test`, password: "wrong password" }, from("203.0.113.5"));
      assert.equal(response.status, 401);
    }
    const refused = await fetch(`${baseUrl(server)}/api/auth/login`, {
      method: "POST", headers: { "content-type": "application/json", ...from("203.0.113.5") },
      body: JSON.stringify({ email: "kim@koto.test", password: "correct horse battery" }),
    });
    assert.equal(refused.status, 429);
    assert.equal(((await refused.json()) as any).error.code, "RATE_LIMITED");
    const retryAfter = Number(refused.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
    const elsewhere = await postJson(server, "/api/auth/login", { email: "kim@koto.test", password: "correct horse battery" }, from("203.0.113.6"));
    assert.equal(elsewhere.status, 200);
  });

  it("locks an account after three wrong passwords from any addresses, unknown emails alike", async () => {
    for (const [index, email] of ["lee@koto.test", "ghost@koto.test"].entries()) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await postJson(server, "/api/auth/login", { email, password: "wrong password" }, from(`198.51.100.${index * 10 + attempt}`));
        assert.equal(response.status, 401);
        assert.equal(response.body.error.code, "LOGIN_FAILED");
      }
      // Even the right password waits: guessing cannot continue from fresh addresses.
      const locked = await postJson(server, "/api/auth/login", { email, password: "correct horse battery" }, from(`198.51.100.${index * 10 + 5}`));
      assert.equal(locked.status, 429, email);
      assert.equal(locked.body.error.code, "RATE_LIMITED");
    }
  });

  it("refuses a fifth guest from one address with 429 and Retry-After", async () => {
    for (let index = 0; index < 4; index++) {
      assert.equal((await postJson(server, "/api/auth/guest", { name: `Mina ${index}` }, from("192.0.2.7"))).status, 200);
    }
    const refused = await fetch(`${baseUrl(server)}/api/auth/guest`, {
      method: "POST", headers: { "content-type": "application/json", ...from("192.0.2.7") }, body: JSON.stringify({ name: "Mina" }),
    });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    assert.equal((await postJson(server, "/api/auth/guest", { name: "Joon" }, from("192.0.2.8"))).status, 200);
  });

  it("does not trust X-Forwarded-For from a remote peer", async () => {
    const { clientAddress, PEER_ADDRESS_HEADER } = await import("../../server/http/http-edge.ts");
    const remote = new Request("http://x/", { headers: { [PEER_ADDRESS_HEADER]: "203.0.113.9", "x-forwarded-for": "10.0.0.1" } });
    assert.equal(clientAddress(remote), "203.0.113.9");
    const proxied = new Request("http://x/", { headers: { [PEER_ADDRESS_HEADER]: "127.0.0.1", "x-forwarded-for": "10.0.0.1, 203.0.113.9" } });
    assert.equal(clientAddress(proxied), "203.0.113.9");
  });
});

describe("Sign-in rate limits shared by processes (Redis)", function () {
  this.timeout(60_000);
  const limits = { loginAttemptsPerAddress: 5, loginFailuresPerAccount: 3, guestsPerAddressPerHour: 4 };
  let redis: TestRedis;
  const connections: Redis[] = [];
  // Each gate on its own connection, set up as the coordination's (koto: prefix, one retry, no waiting).
  const processGate = async () => {
    const connection = new Redis(redis.url, { keyPrefix: "koto:", maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    connections.push(connection);
    await waitUntilReady(connection);
    return { gate: new SignInGate(limits, connection), connection };
  };
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const connection of connections) connection.disconnect();
    await stopAll();
  });

  it("counts guests and logins from every process together, under koto:sign-in:", async () => {
    const [first, second] = [await processGate(), await processGate()];
    await first.gate.admitGuest("192.0.2.20");
    await second.gate.admitGuest("192.0.2.20");
    await first.gate.admitGuest("192.0.2.20");
    await second.gate.admitGuest("192.0.2.20");
    for (const { gate } of [first, second]) await assert.rejects(gate.admitGuest("192.0.2.20"), RateLimitedError);
    await first.gate.admitGuest("192.0.2.21");

    // Three wrong passwords, spread over two processes, lock the account on both.
    await first.gate.loginFailed("kim@koto.test");
    await second.gate.loginFailed("kim@koto.test");
    await first.gate.admitLogin("192.0.2.30", "kim@koto.test");
    await second.gate.loginFailed("kim@koto.test");
    await assert.rejects(first.gate.admitLogin("192.0.2.31", "kim@koto.test"), /too many wrong passwords/);
    await assert.rejects(second.gate.admitLogin("192.0.2.32", "kim@koto.test"), /too many wrong passwords/);

    const probe = new Redis(redis.url);
    try {
      const keys = (await probe.keys("*")).sort();
      assert.deepEqual(keys, [
        "koto:sign-in:guest-address:192.0.2.20", "koto:sign-in:guest-address:192.0.2.21",
        "koto:sign-in:login-account:kim@koto.test", "koto:sign-in:login-address:192.0.2.30",
      ]);
      assert.ok(await probe.pttl("koto:sign-in:guest-address:192.0.2.20") > 0, "the counter expires");
    } finally {
      probe.disconnect();
    }
  });

  it("counts in the process's memory while Redis is down, at once, and shares again once it is back", async () => {
    const { gate, connection } = await processGate();
    await gate.admitGuest("192.0.2.40");
    await redis.stop();
    await waitUntilNotReady(connection);
    // Each process counts on its own meanwhile: the limit still holds, nothing waits for Redis.
    for (let index = 0; index < 4; index++) await gate.admitGuest("192.0.2.41");
    await assert.rejects(gate.admitGuest("192.0.2.41"), RateLimitedError);
    await redis.start();
    await waitUntilReady(connection);
    // A fresh Redis (it keeps nothing on disk) starts its counts again.
    for (let index = 0; index < 4; index++) await gate.admitGuest("192.0.2.42");
    const other = await processGate();
    await assert.rejects(other.gate.admitGuest("192.0.2.42"), RateLimitedError);
  });

  async function waitUntilNotReady(connection: Redis) {
    while (connection.status === "ready") await new Promise((resolve) => setTimeout(resolve, 20));
  }
  async function waitUntilReady(connection: Redis) {
    while (connection.status !== "ready") await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

describe("Tokens and accounts on every route", function () {
  this.timeout(90_000);
  let database: TestDatabase;
  let server: KotoServer;
  const cliEnv = () => ({ DATABASE_URL: database.url, DATA_DIR: "/nonexistent-koto-data", LOG_LEVEL: "silent" });
  before(async () => {
    database = await createPostgresDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { JWT_SECRET } });
  });
  after(async () => {
    await server?.close();
    await database?.drop();
  });

  it("refuses a valid token whose account does not exist", async () => {
    const { token } = await server.tokens.issue({ userId: randomUUID(), role: "learner", displayName: "Ghost" });
    const response = await getJson(server, "/api/progress/me", token);
    assert.equal(response.status, 401);
    assert.equal(response.body.error.code, "AUTH_UNKNOWN_USER");
  });

  it("refuses a token without an expiry, on HTTP and in rooms", async () => {
    const mina = await guest(server, "Mina");
    const forever = await new SignJWT({ role: "learner", name: "Mina" })
      .setProtectedHeader({ alg: "HS256" }).setSubject(mina.userId).setIssuer("koto-live").setIssuedAt()
      .sign(new TextEncoder().encode(JWT_SECRET));
    const response = await getJson(server, "/api/progress/me", forever);
    assert.equal(response.status, 401);
    assert.equal(response.body.error.code, "AUTH_TOKEN_INVALID");
    await assert.rejects(new Client(baseUrl(server)).create("lesson", { lessonId: "ko-en-01-greetings", token: forever }), /token/i);
  });

  it("disables and re-enables a tutor from the CLI: sign-in, tokens and rooms follow at once", async () => {
    await server.store.createTutor("park@koto.test", "Teacher Park", await hashPassword("correct horse battery", 4));
    const login = await postJson(server, "/api/auth/login", { email: "park@koto.test", password: "correct horse battery" });
    const token = login.body.token as string;
    assert.equal((await getJson(server, "/api/sessions", token)).status, 200);

    const disabled = await runKotoCli(["disable-tutor", "park@koto.test"], cliEnv());
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.match(disabled.stdout, /disabled tutor park@koto.test/);
    const refused = await getJson(server, "/api/sessions", token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "ACCOUNT_DISABLED");
    const relogin = await postJson(server, "/api/auth/login", { email: "park@koto.test", password: "correct horse battery" });
    assert.equal(relogin.body.error.code, "ACCOUNT_DISABLED");
    await assert.rejects(new Client(baseUrl(server)).create("lesson", { lessonId: "ko-en-01-greetings", token }), /disabled/i);

    const enabled = await runKotoCli(["enable-tutor", "park@koto.test"], cliEnv());
    assert.equal(enabled.code, 0, enabled.stderr);
    assert.equal((await getJson(server, "/api/sessions", token)).status, 200);
    const unknown = await runKotoCli(["disable-tutor", "nobody@koto.test"], cliEnv());
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /TUTOR_NOT_FOUND/);
  });
});
