import assert from "node:assert/strict";
import type { KotoServer } from "../../server/app.ts";
import { baseUrl, getJson, guest, postJson, sdk, startTestServer, tutor } from "../support/koto-test-server.ts";

describe("HTTP API", function () {
  let server: KotoServer;
  before(async () => {
    server = await startTestServer({ transport: "uws" });
  });
  after(async () => {
    await server.close();
  });

  it("opens lessons only for a valid token, and at most 60 a minute for one account (no session row for a refusal)", async () => {
    const before = (await server.store.listSessions({ limit: 1000 })).length;
    const anonymous = await postJson(server, "/matchmake/create/lesson", { lessonId: "ko-en-01-greetings" });
    assert.equal(anonymous.status, 401);
    assert.match(JSON.stringify(anonymous.body), /AUTH_TOKEN_MISSING/);
    const forged = await postJson(server, "/matchmake/create/lesson", { lessonId: "ko-en-01-greetings", token: "not-a-token" });
    assert.equal(forged.status, 401);
    assert.equal((await server.store.listSessions({ limit: 1000 })).length, before);
    const { token } = await guest(server, "Mallory");
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await postJson(server, "/matchmake/create/lesson", { lessonId: "ko-en-01-greetings", token })).status);
    assert.deepEqual(statuses.filter((status) => status !== 200), []);
    const refused = await postJson(server, "/matchmake/create/lesson", { lessonId: "ko-en-01-greetings", token });
    assert.equal(refused.status, 429);
    assert.match(JSON.stringify(refused.body), /RATE_LIMITED/);
    // Another account is not held back by this one.
    const other = await guest(server, "Mina");
    assert.equal((await postJson(server, "/matchmake/create/lesson", { lessonId: "ko-en-01-greetings", token: other.token })).status, 200);
  });

  it("lets a tutor ask for 30 re-evaluations a minute, then says when to try again", async () => {
    const kim = await tutor(server);
    const ask = () => postJson(server, "/api/attempts/no-such-attempt/reevaluate", {}, { authorization: `Bearer ${kim.token}` });
    for (let i = 0; i < 30; i++) assert.equal((await ask()).status, 404);
    const limited = await ask();
    assert.equal(limited.status, 429);
    assert.match(JSON.stringify(limited.body), /RATE_LIMITED/);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1, "Retry-After says when");
  });

  it("lets one account fetch 120 recordings a minute, then says when to try again, without holding back another", async () => {
    const { token } = await guest(server, "Mallory");
    const fetchAudio = (bearer: string) => fetch(`${baseUrl(server)}/api/attempts/no-such-attempt/audio`, { headers: { authorization: `Bearer ${bearer}` } });
    const statuses = await Promise.all(Array.from({ length: 120 }, async () => (await fetchAudio(token)).status));
    assert.deepEqual([...new Set(statuses)], [404]);
    const limited = await fetchAudio(token);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1, "Retry-After says when");
    const body = (await limited.json()) as { error: { code: string; retryAfterMs: number } };
    assert.equal(body.error.code, "RATE_LIMITED");
    assert.ok(body.error.retryAfterMs > 0);
    const other = await guest(server, "Mina");
    assert.equal((await fetchAudio(other.token)).status, 404);
  });

  it("lets a learner change their name and keep their progress, under a new token", async () => {
    const mina = await guest(server, "Mina");
    await server.store.saveProgress({ userId: mina.userId, lessonId: "ko-en-01-greetings", currentStep: 3, completedSteps: [1], attemptsCount: 2, bestScore: 90, hintsUsed: 0, completedAt: null });
    const renamed = await postJson(server, "/api/me/name", { name: "Mina Kim" }, { authorization: `Bearer ${mina.token}` });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual(renamed.body.user, { id: mina.userId, displayName: "Mina Kim", role: "learner" });
    const { body } = await getJson(server, "/api/progress/me", renamed.body.token);
    assert.deepEqual(body.user, { id: mina.userId, displayName: "Mina Kim", role: "learner" });
    assert.equal(body.progress[0].bestScore, 90, "the same learner's progress");
    // A token issued before the rename (another tab, the Unity player) still works, under the new name.
    assert.equal((await getJson(server, "/api/progress/me", mina.token)).body.user.displayName, "Mina Kim");
    // The new name is checked like a new guest's; a tutor's name is not changed here; a token is needed.
    const bad = await postJson(server, "/api/me/name", { name: "Mina\u202Eevil" }, { authorization: `Bearer ${renamed.body.token}` });
    assert.equal(bad.status, 400);
    const kim = await tutor(server);
    assert.equal((await postJson(server, "/api/me/name", { name: "Kim" }, { authorization: `Bearer ${kim.token}` })).status, 403);
    assert.equal((await postJson(server, "/api/me/name", { name: "Kim" })).status, 401);
  });

  it("says how to send a token that came without the word Bearer, rather than that none was sent", async () => {
    const mina = await guest(server, "Mina");
    const ask = (authorization: string) => fetch(`${baseUrl(server)}/api/progress/me`, { headers: { authorization } })
      .then(async (response) => ({ status: response.status, body: await response.json() as { error: { code: string; message: string } } }));
    const bare = await ask(mina.token);
    assert.equal(bare.status, 401);
    assert.equal(bare.body.error.code, "AUTH_TOKEN_INVALID");
    assert.match(bare.body.error.message, /Bearer <token>/);
    assert.equal((await ask(`bearer ${mina.token}`)).status, 200, "the scheme's case does not matter");
    assert.equal((await ask("")).body.error.code, "AUTH_TOKEN_MISSING");
  });

  it("reports health with versions", async () => {
    const { status, body } = await getJson(server, "/healthz");
    assert.equal(status, 200);
    assert.equal(body.status, "ok");
    assert.match(body.colyseus, /^0\.18\./);
    assert.equal(body.store, "pglite");
  });

  it("issues a guest learner token", async () => {
    const { status, body } = await postJson(server, "/api/auth/guest", { name: "  Mina  " });
    assert.equal(status, 200);
    assert.equal(body.user.displayName, "Mina");
    assert.equal(body.user.role, "learner");
    assert.ok(Date.parse(body.expiresAt) > Date.now());
  });

  const badGuests: [unknown, string, RegExp][] = [
    [{}, "BODY_INVALID", /name/],
    [{ name: "" }, "BODY_INVALID", /name: must not be empty/],
    [{ name: "x".repeat(41) }, "BODY_INVALID", /at most 40/],
    [{ name: "<script>" }, "BODY_INVALID", /control characters or < >/],
    [{ name: "Mina\u202Eevil" }, "BODY_INVALID", /invisible or text-direction/],
    [{ name: "Mi\u200Bna" }, "BODY_INVALID", /invisible or text-direction/],
    [{ name: "\u3164" }, "BODY_INVALID", /invisible or text-direction/],
    [{ name: "Mi\u00ADna" }, "BODY_INVALID", /invisible or text-direction/],
    [{ name: "Mi\u2028na" }, "BODY_INVALID", /invisible or text-direction/],
    [{ name: "Mina\u{E0041}" }, "BODY_INVALID", /invisible or text-direction/],
    [{ name: "Mina", role: "tutor" }, "BODY_INVALID", /role/],
  ];
  for (const [body, code, message] of badGuests) {
    it(`refuses the guest body ${JSON.stringify(body)}`, async () => {
      const response = await postJson(server, "/api/auth/guest", body);
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, code);
      assert.match(response.body.error.message, message);
    });
  }

  it("refuses malformed JSON and other content types", async () => {
    const malformed = await fetch(`${baseUrl(server)}/api/auth/guest`, { method: "POST", headers: { "content-type": "application/json" }, body: "{\"name\":" });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as any).error.code, "BODY_MALFORMED");
    const form = await fetch(`${baseUrl(server)}/api/auth/guest`, { method: "POST", headers: { "content-type": "text/plain" }, body: "name=Mina" });
    assert.equal(form.status, 415);
    assert.equal(((await form.json()) as any).error.code, "BODY_NOT_JSON");
    const post = (contentType: string, body: string | Uint8Array<ArrayBuffer>) =>
      fetch(`${baseUrl(server)}/api/auth/guest`, { method: "POST", headers: { "content-type": contentType }, body });
    // JSON is UTF-8: a body that says otherwise is refused, not read as something it is not.
    const utf16 = await post("application/json; charset=utf-16", new Uint8Array(Buffer.from(JSON.stringify({ name: "Mina" }), "utf16le")));
    assert.equal(utf16.status, 415);
    assert.match(((await utf16.json()) as any).error.message, /UTF-8/);
    assert.equal((await post("application/jsonp", JSON.stringify({ name: "Mina" }))).status, 415);
    const invalidBytes = await post("application/json", Uint8Array.of(0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d));
    assert.equal(invalidBytes.status, 400);
    assert.match(((await invalidBytes.json()) as any).error.message, /UTF-8/);
    // What every client sends is still read.
    for (const contentType of ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"]) {
      assert.equal((await post(contentType, JSON.stringify({ name: "Mina" }))).status, 200, contentType);
    }
  });

  it("lists both language packs and their lessons, and one lesson in full", async () => {
    const { body } = await getJson(server, "/api/lessons");
    assert.deepEqual(body.packs.map((pack: any) => pack.id).sort(), ["ko-en", "ko-id"]);
    assert.ok(body.lessons.filter((lesson: any) => lesson.pack === "ko-id").length >= 3);
    const only = await getJson(server, "/api/lessons?pack=ko-id");
    assert.ok(only.body.lessons.every((lesson: any) => lesson.learnerLanguage === "id"));
    assert.equal((await getJson(server, "/api/lessons?pack=ko-fr")).status, 404);
    for (const query of ["pack=ko-id&pack=nope", "pack="]) {
      const refused = await getJson(server, `/api/lessons?${query}`);
      assert.deepEqual([refused.status, refused.body.error.code], [400, "QUERY_INVALID"], query);
    }
    const lesson = await getJson(server, `/api/lessons/${body.lessons[0].id}`);
    assert.ok(lesson.body.steps[0].romanization.length > 0);
    assert.equal((await getJson(server, "/api/lessons/nope")).body.error.code, "LESSON_NOT_FOUND");
  });

  it("needs a token for progress and a tutor token for sessions", async () => {
    assert.equal((await getJson(server, "/api/progress/me")).body.error.code, "AUTH_TOKEN_MISSING");
    assert.equal((await getJson(server, "/api/progress/me", "garbage")).body.error.code, "AUTH_TOKEN_INVALID");
    const mina = await guest(server, "Mina");
    const progress = await getJson(server, "/api/progress/me", mina.token);
    assert.equal(progress.status, 200);
    assert.deepEqual(progress.body.progress, []);
    const forbidden = await getJson(server, "/api/sessions", mina.token);
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.error.code, "ROLE_FORBIDDEN");
    const kim = await tutor(server);
    const sessions = await getJson(server, "/api/sessions?live=true", kim.token);
    assert.equal(sessions.status, 200);
    assert.ok(Array.isArray(sessions.body.sessions));
    assert.equal((await getJson(server, "/api/sessions?live=maybe", kim.token)).body.error.code, "QUERY_INVALID");
  });

  it("says what became of each session: live, stopped before the end, or finished", async () => {
    const kim = await tutor(server);
    const statusOf = async (id: string) =>
      (await getJson(server, "/api/sessions", kim.token)).body.sessions.find((session: any) => session.id === id)?.status;
    const mina = await guest(server, "Mina");
    const room = await sdk(server).create("lesson", { lessonId: "ko-en-01-greetings", token: mina.token });
    room.send("start");
    assert.equal(await statusOf(room.roomId), "live");
    await room.leave();
    for (let i = 0; i < 200 && server.liveRooms.has(room.roomId); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const stopped = (await getJson(server, "/api/sessions?live=false", kim.token)).body.sessions.find((session: any) => session.id === room.roomId);
    assert.deepEqual([stopped.status, stopped.phase, stopped.live], ["stopped", "running", false], "the conversation stood running when everyone left");
    // A tutor ends the next one: finished.
    const second = await sdk(server).create("lesson", { lessonId: "ko-en-01-greetings", token: (await guest(server, "Budi")).token });
    const watching = await sdk(server).joinById(second.roomId, { token: kim.token });
    const ended = new Promise((resolve) => second.onMessage("session-ended", resolve));
    second.send("start");
    watching.send("end");
    await ended;
    await Promise.all([second.leave(), watching.leave()]);
    for (let i = 0; i < 200 && server.liveRooms.has(second.roomId); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.equal(await statusOf(second.roomId), "finished");
  });

  it("answers a wrong password and an unknown email the same way", async () => {
    await tutor(server);
    const wrong = await postJson(server, "/api/auth/login", { email: "teacher@koto.test", password: "wrong password" });
    const unknown = await postJson(server, "/api/auth/login", { email: "nobody@koto.test", password: "wrong password" });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal((await postJson(server, "/api/auth/login", { email: "not-an-email", password: "x" })).body.error.code, "BODY_INVALID");
  });

  it("never lets a learner hear an attempt that is not theirs", async () => {
    const mina = await guest(server, "Mina");
    const response = await fetch(`${baseUrl(server)}/api/attempts/someone-elses/audio`, { headers: { authorization: `Bearer ${mina.token}` } });
    assert.equal(response.status, 404);
  });
});
