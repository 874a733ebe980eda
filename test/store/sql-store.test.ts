import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../server/store/open-store.ts";
import { migrate, readMigrations, splitStatements } from "../../server/store/migrate.ts";
import { openPglite, openPgliteWorker } from "../../server/store/sql-database.ts";
import type { NewAttempt, Store } from "../../server/store/store.ts";
import { createPostgresDatabase, type TestDatabase } from "../support/databases.ts";

function newAttempt(overrides: Partial<NewAttempt> & Pick<NewAttempt, "id" | "sessionId" | "learnerId">): NewAttempt {
  return {
    lessonId: "ko-en-01-greetings", stepIndex: 1, kind: "typed", status: "scored", text: "안녕하세요",
    correct: true, overall: 100, accuracy: 100, completeness: 100, fluency: null,
    syllables: [{ index: 0, target: "안", heard: "안", verdict: "correct" }], feedback: "Great", failureCode: null, failureReason: null,
    evaluation: { matched: "안녕하세요" },
    ...overrides,
  };
}

const backends: { name: string; open: () => Promise<{ store: Store; reopen: () => Promise<Store>; cleanup: () => Promise<void> }> }[] = [
  {
    name: "PGlite",
    async open() {
      const dataDir = mkdtempSync(join(tmpdir(), "koto-store-"));
      return {
        store: await openStore({ dataDir }),
        reopen: () => openStore({ dataDir }),
        cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "Postgres",
    async open() {
      const database: TestDatabase = await createPostgresDatabase();
      return {
        store: await openStore({ databaseUrl: database.url }),
        reopen: () => openStore({ databaseUrl: database.url }),
        cleanup: () => database.drop(),
      };
    },
  },
];

for (const backend of backends) {
  describe(`SqlStore on ${backend.name}`, () => {
    let store: Store;
    let reopen: () => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await backend.open());
    });
    afterEach(async () => {
      await store.close().catch(() => {});
      await cleanup();
    });

    it("creates guests and tutors, and refuses a second tutor with the same email", async () => {
      const guest = await store.createGuest("Mina");
      assert.equal(guest.kind, "guest");
      const tutor = await store.createTutor("t@koto.test", "Teacher Kim", "hash");
      assert.equal((await store.findTutorByEmail("t@koto.test"))?.passwordHash, "hash");
      assert.equal((await store.getUser(tutor.id))?.displayName, "Teacher Kim");
      await assert.rejects(store.createTutor("t@koto.test", "Other", "x"), /TUTOR_EXISTS/);
    });

    it("records an attempt once even when the same attempt id is replayed", async () => {
      const learner = await store.createGuest("Mina");
      await store.startSession({ id: "room1", lessonId: "ko-en-01-greetings", phase: "running" });
      const first = await store.recordAttempt(newAttempt({ id: "a1", sessionId: "room1", learnerId: learner.id }));
      const replay = await store.recordAttempt(newAttempt({ id: "a1", sessionId: "room1", learnerId: learner.id, text: "changed" }));
      assert.equal(first.inserted, true);
      assert.equal(replay.inserted, false);
      assert.equal(replay.attempt.text, "안녕하세요");
      assert.equal((await store.listAttempts({ sessionId: "room1" })).length, 1);
      assert.deepEqual((await store.getAttempt("a1"))?.syllables?.[0], { index: 0, target: "안", heard: "안", verdict: "correct" });
      // The record handed back on insert is the row as stored, column for column.
      assert.deepEqual(first.attempt, await store.getAttempt("a1"));
      assert.deepEqual(replay.attempt, first.attempt);
    });

    it("refuses another learner's attempt id", async () => {
      const mina = await store.createGuest("Mina");
      const budi = await store.createGuest("Budi");
      await store.startSession({ id: "room1", lessonId: "l", phase: "running" });
      await store.recordAttempt(newAttempt({ id: "a1", sessionId: "room1", learnerId: mina.id }));
      await assert.rejects(store.recordAttempt(newAttempt({ id: "a1", sessionId: "room1", learnerId: budi.id })), /ATTEMPT_ID_TAKEN/);
    });

    it("keeps a tutor grade beside the automatic score", async () => {
      const learner = await store.createGuest("Mina");
      const tutor = await store.createTutor("t@koto.test", "Kim", "h");
      await store.startSession({ id: "room1", lessonId: "l", phase: "running" });
      const { attempt } = await store.recordAttempt(newAttempt({ id: "a1", sessionId: "room1", learnerId: learner.id, overall: 70 }));
      await store.updateAttempt({ ...attempt, tutorId: tutor.id, tutorScore: 90, tutorComment: "좋아요" });
      const graded = await store.getAttempt("a1");
      assert.equal(graded?.overall, 70);
      assert.equal(graded?.tutorScore, 90);
      assert.equal(graded?.tutorComment, "좋아요");
    });

    it("writes an attempt and the progress it earned in one transaction", async () => {
      const learner = await store.createGuest("Mina");
      await store.startSession({ id: "room1", lessonId: "l", phase: "running" });
      const progress = { userId: learner.id, lessonId: "l", currentStep: 3, completedSteps: [1], attemptsCount: 1, bestScore: 100, hintsUsed: 0, completedAt: null };
      await store.recordAttempt(newAttempt({ id: "a1", sessionId: "room1", learnerId: learner.id, lessonId: "l" }), progress);
      assert.equal((await store.getProgress(learner.id, "l"))?.currentStep, 3);
      // A replay is not counted again.
      await store.recordAttempt(newAttempt({ id: "a1", sessionId: "room1", learnerId: learner.id, lessonId: "l" }), { ...progress, attemptsCount: 2 });
      assert.equal((await store.getProgress(learner.id, "l"))?.attemptsCount, 1);
      // A failed progress write rolls the attempt change back with it.
      const { attempt } = await store.recordAttempt(newAttempt({ id: "a2", sessionId: "room1", learnerId: learner.id, lessonId: "l", status: "evaluating" }));
      await assert.rejects(store.updateAttempt({ ...attempt, status: "scored" }, { ...progress, userId: "nobody" }));
      assert.equal((await store.getAttempt("a2"))?.status, "evaluating");
    });

    it("lists a learner's latest attempts oldest first, and the days they practised", async () => {
      const learner = await store.createGuest("Mina");
      await store.startSession({ id: "room1", lessonId: "l", phase: "running" });
      for (let i = 0; i < 5; i++) {
        await store.recordAttempt(newAttempt({ id: `a${i}`, sessionId: "room1", learnerId: learner.id }));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      assert.deepEqual((await store.listAttempts({ learnerId: learner.id, latest: 2 })).map((a) => a.id), ["a3", "a4"]);
      assert.equal((await store.listAttempts({ learnerId: learner.id })).length, 5);
      const today = Math.floor(Date.now() / 86_400_000);
      assert.deepEqual(await store.listPracticeDays(learner.id, 10), [today]);
      assert.deepEqual(await store.listPracticeDays("nobody", 10), []);
    });

    it("upserts progress, never lowering the best score, and it survives reopening", async () => {
      const learner = await store.createGuest("Mina");
      await store.saveProgress({ userId: learner.id, lessonId: "l1", currentStep: 3, completedSteps: [1, 3], attemptsCount: 2, bestScore: 80, hintsUsed: 0, completedAt: null });
      await store.saveProgress({ userId: learner.id, lessonId: "l1", currentStep: 5, completedSteps: [1, 3, 5], attemptsCount: 3, bestScore: 60, hintsUsed: 1, completedAt: null });
      await store.close();
      store = await reopen();
      const progress = await store.getProgress(learner.id, "l1");
      assert.deepEqual(progress?.completedSteps, [1, 3, 5]);
      assert.equal(progress?.bestScore, 80);
      assert.equal(progress?.currentStep, 5);
      assert.equal((await store.listProgress(learner.id)).length, 1);
    });

    it("merges progress written by two rooms that each saw part of it (two tabs): nothing either counted is taken back", async () => {
      const learner = await store.createGuest("Mina");
      const row = { userId: learner.id, lessonId: "l2", bestScore: 0, completedAt: null };
      await store.saveProgress({ ...row, currentStep: 1, completedSteps: [1], attemptsCount: 2, hintsUsed: 1 });
      // Both tabs read {attempts 2, hints 1}. Tab B goes on to step 5 with two more attempts and a hint...
      await store.saveProgress({ ...row, currentStep: 5, completedSteps: [1, 3], attemptsCount: 4, hintsUsed: 2, bestScore: 90, countedFrom: { attempts: 2, hints: 1 } });
      // ...then the stale tab A, still at step 1, saves its one extra attempt on leaving.
      await store.saveProgress({ ...row, currentStep: 1, completedSteps: [1], attemptsCount: 3, hintsUsed: 1, bestScore: 40, countedFrom: { attempts: 2, hints: 1 } });
      let progress = await store.getProgress(learner.id, "l2");
      assert.deepEqual(progress?.completedSteps, [1, 3]);
      assert.equal(progress?.currentStep, 5, "the furthest step reached stays");
      assert.equal(progress?.attemptsCount, 5, "2 stored + 2 from tab B + 1 from tab A");
      assert.equal(progress?.hintsUsed, 2);
      assert.equal(progress?.bestScore, 90);
      // A write that counted nothing new (its counts equal what it read) adds nothing.
      await store.saveProgress({ ...row, currentStep: 5, completedSteps: [1, 3], attemptsCount: 4, hintsUsed: 2, countedFrom: { attempts: 4, hints: 2 } });
      assert.equal((await store.getProgress(learner.id, "l2"))?.attemptsCount, 5);
      // The end of the conversation reached with a line not passed: the next visit starts at the top, and that
      // run's steps are kept again from there; nothing passed is taken back, and the lesson is not completed.
      await store.saveProgress({ ...row, currentStep: 0, completedSteps: [1, 3], attemptsCount: 5, hintsUsed: 2, countedFrom: { attempts: 5, hints: 2 }, restart: true });
      assert.deepEqual(await store.getProgress(learner.id, "l2").then((p) => [p?.currentStep, p?.completedSteps, p?.completedAt]), [0, [1, 3], null]);
      await store.saveProgress({ ...row, currentStep: 2, completedSteps: [1, 3], attemptsCount: 5, hintsUsed: 2, countedFrom: { attempts: 5, hints: 2 } });
      assert.equal((await store.getProgress(learner.id, "l2"))?.currentStep, 2);
      // Completion from either side wins, and a completed lesson starts again at its first step.
      const completedAt = new Date().toISOString();
      await store.saveProgress({ ...row, currentStep: 0, completedSteps: [1, 3, 5], attemptsCount: 6, hintsUsed: 2, completedAt, countedFrom: { attempts: 5, hints: 2 } });
      await store.saveProgress({ ...row, currentStep: 3, completedSteps: [1], attemptsCount: 3, hintsUsed: 1, countedFrom: { attempts: 3, hints: 1 } });
      progress = await store.getProgress(learner.id, "l2");
      assert.deepEqual(progress?.completedSteps, [1, 3, 5]);
      assert.equal(progress?.currentStep, 0);
      assert.notEqual(progress?.completedAt, null);
      assert.equal(progress?.attemptsCount, 6);
    });

    it("lists live and past sessions with participants and the last score", async () => {
      const learner = await store.createGuest("Mina");
      await store.startSession({ id: "live", lessonId: "l", phase: "running" });
      await store.startSession({ id: "past", lessonId: "l", phase: "finished" });
      await store.updateSession("past", { phase: "finished", currentStep: 4, ended: true });
      await store.addParticipant("live", learner.id, "learner");
      await store.recordAttempt(newAttempt({ id: "a1", sessionId: "live", learnerId: learner.id, overall: 64 }));
      const live = await store.listSessions({ live: true, limit: 10 });
      assert.deepEqual(live.map((s) => s.id), ["live"]);
      assert.equal(live[0].participants[0].displayName, "Mina");
      assert.equal(live[0].participants[0].dialogueRole, null);
      // A learner's dialogue role is kept with the participant row (for a resumed pair), and a later seat updates it.
      await store.addParticipant("live", learner.id, "learner", "A");
      assert.equal((await store.getSession("live"))!.participants[0].dialogueRole, "A");
      await store.addParticipant("live", learner.id, "learner");
      assert.equal((await store.getSession("live"))!.participants[0].dialogueRole, "A");
      await store.addParticipant("live", learner.id, "learner", "B");
      assert.equal((await store.getSession("live"))!.participants[0].dialogueRole, "B");
      assert.equal(live[0].lastScore, 64);
      assert.deepEqual((await store.listSessions({ live: false, limit: 10 })).map((s) => s.id), ["past"]);
      assert.equal(await store.endOrphanSessions([]), 1);
      assert.equal((await store.listSessions({ live: true, limit: 10 })).length, 0);
    });

    it("keeps each learner's latest hint in a session, with the line it was given on", async () => {
      const [mina, budi] = [await store.createGuest("Mina"), await store.createGuest("Budi")];
      await store.startSession({ id: "hinted", lessonId: "l", phase: "running" });
      await store.addParticipant("hinted", mina.id, "learner", "B");
      assert.deepEqual(await store.listHints("hinted"), []);
      await store.saveHint("hinted", { learnerId: mina.id, text: "Hello — annyeong", step: 1 });
      await store.saveHint("hinted", { learnerId: mina.id, text: "받침을 길게", step: 3 });
      // Written before the learner's seat row (the two do not wait on each other): the hint still lands.
      await store.saveHint("hinted", { learnerId: budi.id, text: "천천히", step: 2 });
      await store.addParticipant("hinted", budi.id, "learner", "A");
      const hints = (await store.listHints("hinted")).sort((a, b) => a.step - b.step);
      assert.deepEqual(hints, [{ learnerId: budi.id, text: "천천히", step: 2 }, { learnerId: mina.id, text: "받침을 길게", step: 3 }]);
      assert.deepEqual((await store.getSession("hinted"))!.participants.map((p) => [p.displayName, p.role, p.dialogueRole]),
        [["Mina", "learner", "B"], ["Budi", "learner", "A"]]);
    });

    it("lists attempts by status and failure code, oldest first, below a retry count", async () => {
      const learner = await store.createGuest("Mina");
      await store.startSession({ id: "room1", lessonId: "l", phase: "running" });
      await store.recordAttempt(newAttempt({ id: "done", sessionId: "room1", learnerId: learner.id }));
      await store.recordAttempt(newAttempt({ id: "cut", sessionId: "room1", learnerId: learner.id, kind: "spoken", status: "evaluating" }));
      await store.recordAttempt(newAttempt({ id: "down", sessionId: "room1", learnerId: learner.id, kind: "spoken", status: "failed", failureCode: "STT_UNAVAILABLE" }));
      const { attempt: tired } = await store.recordAttempt(newAttempt({ id: "tired", sessionId: "room1", learnerId: learner.id, kind: "spoken", status: "failed", failureCode: "STT_UNAVAILABLE" }));
      await store.updateAttempt({ ...tired, retries: 5 });
      assert.deepEqual((await store.listAttemptsByStatus({ statuses: ["recording", "evaluating"], limit: 10 })).map((a) => a.id), ["cut"]);
      assert.deepEqual((await store.listAttemptsByStatus({ statuses: ["failed"], failureCodes: ["STT_UNAVAILABLE"], maxRetries: 5, limit: 10 })).map((a) => a.id), ["down"]);
      assert.equal((await store.getAttempt("down"))?.failureCode, "STT_UNAVAILABLE");
    });

    it("waits for writes in flight before it closes", async () => {
      const learner = await store.createGuest("Mina");
      const writes = Array.from({ length: 20 }, (_, i) =>
        store.saveProgress({ userId: learner.id, lessonId: `l${i}`, currentStep: i, completedSteps: [], attemptsCount: 0, bestScore: 0, hintsUsed: 0, completedAt: null }));
      await store.close();
      await Promise.all(writes);
      store = await reopen();
      assert.equal((await store.listProgress(learner.id)).length, 20);
    });

    it("stores recordings and tutor notes", async () => {
      const learner = await store.createGuest("Mina");
      const tutor = await store.createTutor("t@koto.test", "Kim", "h");
      await store.startSession({ id: "room1", lessonId: "l", phase: "running" });
      await store.recordAttempt(newAttempt({ id: "a1", sessionId: "room1", learnerId: learner.id }));
      await store.saveRecording({ attemptId: "a1", storage: "file", objectKey: "a1.wav", contentType: "audio/wav", byteLength: 44, durationMs: 0 });
      assert.equal((await store.getRecording("a1"))?.objectKey, "a1.wav");
      await store.addTutorNote({ sessionId: "room1", learnerId: learner.id, tutorId: tutor.id, text: "watch 받침" });
    });
  });
}

describe("migrate", () => {
  it("applies each migration once, in order", async () => {
    const db = await openPglite(undefined);
    const first = await migrate(db);
    assert.deepEqual(first, readMigrations().map((m) => m.id));
    assert.deepEqual(await migrate(db), []);
    await db.close();
  });

  it("rolls back a failing migration entirely", async () => {
    const db = await openPglite(undefined);
    await assert.rejects(migrate(db, [{ id: "001_bad", sql: "CREATE TABLE a (x int);\nSELECT nope FROM missing;\n" }]));
    const tables = await db.query("SELECT to_regclass('a') AS t");
    assert.equal(tables[0].t, null);
    await db.close();
  });

  it("splits statements on line-ending semicolons and drops comments", () => {
    assert.deepEqual(splitStatements("-- c\nCREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\n"), [
      "CREATE TABLE a (x int)", "INSERT INTO a VALUES (1)",
    ]);
  });
});

describe("PGlite on a worker thread", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "koto-pglite-worker-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("answers queries with dates, JSON and bytes intact, and keeps Postgres' error fields", async () => {
    const db = await openPgliteWorker(dataDir);
    try {
      await db.exec("CREATE TABLE sample (id INT PRIMARY KEY, at TIMESTAMPTZ, body JSONB, raw BYTEA)");
      await db.query("INSERT INTO sample VALUES ($1, $2, $3, $4)", [1, new Date("2026-12-02T05:00:00Z"), { ok: [1, "둘"] }, Uint8Array.from([0, 255])]);
      const [row] = await db.query<{ at: Date; body: unknown; raw: Uint8Array }>("SELECT at, body, raw FROM sample");
      assert.ok(row.at instanceof Date);
      assert.equal(row.at.toISOString(), "2026-12-02T05:00:00.000Z");
      assert.deepEqual(row.body, { ok: [1, "둘"] });
      assert.deepEqual([...row.raw], [0, 255]);
      await assert.rejects(db.query("INSERT INTO sample (id) VALUES (1)"), (error: Error & { code?: string }) => error.code === "23505");
    } finally {
      await db.close();
    }
  });

  it("commits a transaction's work, rolls back a failed one, and keeps the data across a reopen", async () => {
    const db = await openPgliteWorker(dataDir);
    await db.exec("CREATE TABLE counter (n INT)");
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO counter VALUES (1)");
      await tx.query("INSERT INTO counter VALUES (2)");
    });
    await assert.rejects(db.transaction(async (tx) => {
      await tx.query("INSERT INTO counter VALUES (3)");
      throw new Error("changed my mind");
    }), /changed my mind/);
    // A query sent while a transaction is open waits for it rather than seeing half of it.
    let release!: () => void;
    const held = db.transaction(async (tx) => {
      await tx.query("INSERT INTO counter VALUES (10)");
      await new Promise<void>((resolve) => (release = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const during = db.query<{ total: number }>("SELECT sum(n)::int AS total FROM counter");
    release();
    await held;
    assert.equal((await during)[0].total, 13);
    await db.close();
    const again = await openPgliteWorker(dataDir);
    try {
      assert.deepEqual((await again.query<{ n: number }>("SELECT n FROM counter ORDER BY n")).map((row) => row.n), [1, 2, 10]);
    } finally {
      await again.close();
    }
  });

  it("reports a folder it cannot initialise with a code and the folder's name, and the process carries on", async () => {
    // A file where Postgres needs its `base` folder. Initialisation runs in a process of its own
    // (pglite-initdb.mjs): its failure comes back as an error, not a crash of this one.
    writeFileSync(join(dataDir, "base"), "not a database");
    await assert.rejects(openPgliteWorker(dataDir), (error: Error & { code?: string }) =>
      error.code === "DATABASE_INIT_FAILED" && error.message.includes(dataDir));
    assert.equal(readFileSync(join(dataDir, "base"), "utf8"), "not a database");
  });
});
