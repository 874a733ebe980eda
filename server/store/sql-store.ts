import { randomUUID } from "node:crypto";
import type { SqlDatabase, SqlExecutor, SqlStatement } from "./sql-database.ts";
import type {
  AttemptRecord, DialogueRole, NewAttempt, ParticipantRole, ProgressRecord, ProgressWrite, RecordingRecord,
  HintRecord, SessionRecord, Store, TutorCredentials, TutorNoteRecord, UserRecord,
} from "./store.ts";
import type { AttemptStatus } from "../attempts/attempt.ts";
import { KotoError } from "../errors.ts";

type Row = Record<string, any>;

const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));
const isoOrNull = (value: unknown): string | null => (value == null ? null : iso(value));
const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);

function toUser(row: Row): UserRecord {
  return { id: row.id, kind: row.kind, displayName: row.display_name, email: row.email ?? null, createdAt: iso(row.created_at), disabled: row.disabled === true };
}

function toAttempt(row: Row): AttemptRecord {
  return {
    id: row.id, sessionId: row.session_id, learnerId: row.learner_id, lessonId: row.lesson_id,
    stepIndex: row.step_index, kind: row.kind, status: row.status, text: row.text, correct: row.correct,
    overall: row.overall, accuracy: row.accuracy, completeness: row.completeness, fluency: row.fluency,
    syllables: (json(row.syllables) as AttemptRecord["syllables"]) ?? null,
    feedback: row.feedback, failureCode: row.failure_code ?? null, failureReason: row.failure_reason,
    evaluation: (json(row.evaluation) as AttemptRecord["evaluation"]) ?? null,
    tutorId: row.tutor_id, tutorScore: row.tutor_score, tutorComment: row.tutor_comment,
    retries: row.retries ?? 0, createdAt: iso(row.created_at),
  };
}

function toProgress(row: Row): ProgressRecord {
  return {
    userId: row.user_id, lessonId: row.lesson_id, currentStep: row.current_step,
    completedSteps: [...(row.completed_steps ?? [])].map(Number), attemptsCount: row.attempts_count,
    bestScore: row.best_score, hintsUsed: row.hints_used, completedAt: isoOrNull(row.completed_at),
    updatedAt: iso(row.updated_at),
  };
}

const ATTEMPT_COLUMNS =
  "id, session_id, learner_id, lesson_id, step_index, kind, status, text, correct, overall, accuracy, completeness, fluency, syllables, feedback, failure_code, failure_reason, evaluation";

// Merges, never replaces (see ProgressWrite): a second tab's room that saw less cannot take back a
// completed step, the step reached or counted attempts. A completed lesson starts again at step 0.
const SAVE_PROGRESS_SQL = `INSERT INTO progress (user_id, lesson_id, current_step, completed_steps, attempts_count, best_score, hints_used, completed_at, updated_at)
  VALUES ($1, $2, $3, $4::int[], $5, $6, $7, $8, now())
  ON CONFLICT (user_id, lesson_id) DO UPDATE SET
    current_step = CASE WHEN coalesce(progress.completed_at, EXCLUDED.completed_at) IS NOT NULL OR $11::boolean THEN 0
      ELSE greatest(progress.current_step, EXCLUDED.current_step) END,
    completed_steps = ARRAY(SELECT DISTINCT step FROM unnest(progress.completed_steps || EXCLUDED.completed_steps) AS step ORDER BY step),
    attempts_count = CASE WHEN $9::int IS NULL THEN EXCLUDED.attempts_count
      ELSE progress.attempts_count + greatest(EXCLUDED.attempts_count - $9::int, 0) END,
    best_score = greatest(progress.best_score, EXCLUDED.best_score),
    hints_used = CASE WHEN $10::int IS NULL THEN EXCLUDED.hints_used
      ELSE progress.hints_used + greatest(EXCLUDED.hints_used - $10::int, 0) END,
    completed_at = coalesce(progress.completed_at, EXCLUDED.completed_at), updated_at = now()`;

function saveProgressStatement(progress: ProgressWrite): SqlStatement {
  return {
    sql: SAVE_PROGRESS_SQL,
    params: [
      progress.userId, progress.lessonId, progress.currentStep, progress.completedSteps, progress.attemptsCount,
      progress.bestScore, progress.hintsUsed, progress.completedAt,
      progress.countedFrom?.attempts ?? null, progress.countedFrom?.hints ?? null, progress.restart === true,
    ],
  };
}

function saveProgressWith(db: SqlExecutor, progress: ProgressWrite): Promise<unknown> {
  const { sql, params } = saveProgressStatement(progress);
  return db.query(sql, params);
}

export class SqlStore implements Store {
  readonly kind: "postgres" | "pglite";

  private readonly db: SqlDatabase;
  /** Every query and transaction in flight: `close` waits for them so an accepted write is never cut off. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | null = null;

  constructor(database: SqlDatabase, private readonly releaseLock: () => Promise<void> = async () => {}) {
    this.kind = database.kind;
    const track = <T>(work: Promise<T>): Promise<T> => {
      this.inFlight.add(work);
      const forget = () => { this.inFlight.delete(work); };
      work.then(forget, forget);
      return work;
    };
    this.db = {
      kind: database.kind,
      query: (sql, params) => track(database.query(sql, params)),
      exec: (sql) => track(database.exec(sql)),
      transaction: (work) => track(database.transaction(work)),
      batch: (statements) => track(database.batch(statements)),
      close: () => database.close(),
    };
  }

  async ping(): Promise<void> {
    await this.db.query("SELECT 1");
  }

  async renameGuest(id: string, displayName: string): Promise<UserRecord | null> {
    const rows = await this.db.query("UPDATE users SET display_name = $2 WHERE id = $1 AND kind = 'guest' RETURNING *", [id, displayName]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async createGuest(displayName: string): Promise<UserRecord> {
    const rows = await this.db.query(
      "INSERT INTO users (id, kind, display_name) VALUES ($1, 'guest', $2) RETURNING *",
      [randomUUID(), displayName],
    );
    return toUser(rows[0]);
  }

  async createTutor(email: string, displayName: string, passwordHash: string): Promise<UserRecord> {
    const existing = await this.db.query("SELECT id FROM users WHERE email = $1", [email]);
    if (existing.length > 0) throw new KotoError("TUTOR_EXISTS", `a tutor with the email ${email} already exists`, 409);
    const rows = await this.db.query(
      "INSERT INTO users (id, kind, display_name, email, password_hash) VALUES ($1, 'tutor', $2, $3, $4) RETURNING *",
      [randomUUID(), displayName, email, passwordHash],
    );
    return toUser(rows[0]);
  }

  async findTutorByEmail(email: string): Promise<TutorCredentials | null> {
    const rows = await this.db.query("SELECT * FROM users WHERE email = $1 AND kind = 'tutor'", [email]);
    return rows[0] ? { ...toUser(rows[0]), passwordHash: rows[0].password_hash } : null;
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const rows = await this.db.query("SELECT * FROM users WHERE id = $1", [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async setTutorDisabled(email: string, disabled: boolean): Promise<UserRecord | null> {
    const rows = await this.db.query("UPDATE users SET disabled = $2 WHERE email = $1 AND kind = 'tutor' RETURNING *", [email, disabled]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async startSession(session: { id: string; lessonId: string; phase: string }): Promise<void> {
    await this.db.query(
      "INSERT INTO lesson_sessions (id, lesson_id, phase) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
      [session.id, session.lessonId, session.phase],
    );
  }

  async updateSession(id: string, change: { phase: string; currentStep: number; ended?: boolean }): Promise<void> {
    await this.db.query(
      `UPDATE lesson_sessions SET phase = $2, current_step = $3,
         ended_at = CASE WHEN $4::boolean THEN coalesce(ended_at, now()) ELSE ended_at END
       WHERE id = $1`,
      [id, change.phase, change.currentStep, change.ended === true],
    );
  }

  async addParticipant(sessionId: string, userId: string, role: ParticipantRole, dialogueRole?: DialogueRole): Promise<void> {
    await this.db.query(
      `INSERT INTO session_participants (session_id, user_id, role, dialogue_role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id, user_id) DO UPDATE SET dialogue_role = coalesce(EXCLUDED.dialogue_role, session_participants.dialogue_role)`,
      [sessionId, userId, role, dialogueRole ?? null],
    );
  }

  async listSessions(filter: { live?: boolean; limit: number; ids?: string[] }): Promise<SessionRecord[]> {
    const live = filter.live === undefined ? "" : filter.live ? "AND s.ended_at IS NULL" : "AND s.ended_at IS NOT NULL";
    const sessions = await this.db.query<Row>(
      `SELECT s.*,
         (SELECT count(*) FROM attempts a WHERE a.session_id = s.id)::int AS attempts_count,
         (SELECT coalesce(a.tutor_score, a.overall) FROM attempts a WHERE a.session_id = s.id
            AND (a.overall IS NOT NULL OR a.tutor_score IS NOT NULL) ORDER BY a.created_at DESC LIMIT 1) AS last_score
       FROM lesson_sessions s WHERE ($2::text[] IS NULL OR s.id = ANY($2::text[])) ${live} ORDER BY s.started_at DESC LIMIT $1`,
      [filter.limit, filter.ids ?? null],
    );
    if (sessions.length === 0) return [];
    const people = await this.db.query<Row>(
      `SELECT p.session_id, p.user_id, p.role, p.dialogue_role, u.display_name FROM session_participants p
       JOIN users u ON u.id = p.user_id WHERE p.session_id = ANY($1::text[]) ORDER BY p.joined_at`,
      [sessions.map((row) => row.id)],
    );
    return sessions.map((row) => ({
      id: row.id, lessonId: row.lesson_id, phase: row.phase, currentStep: row.current_step,
      startedAt: iso(row.started_at), endedAt: isoOrNull(row.ended_at),
      participants: people
        .filter((person) => person.session_id === row.id)
        .map((person) => ({ userId: person.user_id, displayName: person.display_name, role: person.role, dialogueRole: person.dialogue_role ?? null })),
      attemptsCount: row.attempts_count, lastScore: row.last_score ?? null,
    }));
  }

  async endOrphanSessions(liveIds: string[]): Promise<number> {
    const rows = await this.db.query(
      "UPDATE lesson_sessions SET ended_at = now() WHERE ended_at IS NULL AND NOT (id = ANY($1::text[])) RETURNING id",
      [liveIds],
    );
    return rows.length;
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const rows = await this.db.query<Row>("SELECT id FROM lesson_sessions WHERE id = $1", [id]);
    if (!rows[0]) return null;
    return (await this.listSessions({ limit: 1, ids: [id] }))[0] ?? null;
  }

  async reopenSession(id: string): Promise<void> {
    await this.db.query("UPDATE lesson_sessions SET ended_at = NULL WHERE id = $1 AND phase <> 'finished'", [id]);
  }

  async listTutorNotes(sessionId: string): Promise<TutorNoteRecord[]> {
    const rows = await this.db.query<Row>(
      `SELECT n.*, u.display_name AS tutor_name FROM tutor_notes n JOIN users u ON u.id = n.tutor_id
       WHERE n.session_id = $1 ORDER BY n.created_at, n.id`,
      [sessionId],
    );
    return rows.map((row) => ({
      sessionId: row.session_id, learnerId: row.learner_id, tutorId: row.tutor_id, tutorName: row.tutor_name,
      text: row.text, createdAt: iso(row.created_at),
    }));
  }

  async saveHint(sessionId: string, hint: HintRecord): Promise<void> {
    await this.db.query(
      // An upsert: the hint may be written before the learner's seat (both follow the join without waiting on each other).
      `INSERT INTO session_participants (session_id, user_id, role, last_hint, last_hint_step) VALUES ($1, $2, 'learner', $3, $4)
       ON CONFLICT (session_id, user_id) DO UPDATE SET last_hint = EXCLUDED.last_hint, last_hint_step = EXCLUDED.last_hint_step`,
      [sessionId, hint.learnerId, hint.text, hint.step],
    );
  }

  async listHints(sessionId: string): Promise<HintRecord[]> {
    const rows = await this.db.query<Row>(
      "SELECT user_id, last_hint, last_hint_step FROM session_participants WHERE session_id = $1 AND last_hint IS NOT NULL",
      [sessionId],
    );
    return rows.map((row) => ({ learnerId: row.user_id, text: row.last_hint, step: row.last_hint_step }));
  }

  async recordAttempt(attempt: NewAttempt, progress?: ProgressWrite): Promise<{ inserted: boolean; attempt: AttemptRecord }> {
    const insert = (db: SqlExecutor) => db.query(
      `INSERT INTO attempts (${ATTEMPT_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (id) DO NOTHING RETURNING created_at`,
      [
        attempt.id, attempt.sessionId, attempt.learnerId, attempt.lessonId, attempt.stepIndex, attempt.kind,
        attempt.status, attempt.text, attempt.correct, attempt.overall, attempt.accuracy, attempt.completeness,
        attempt.fluency, JSON.stringify(attempt.syllables), attempt.feedback, attempt.failureCode, attempt.failureReason,
        JSON.stringify(attempt.evaluation),
      ],
    );
    // One statement is atomic on its own: a transaction only when progress rides along.
    const inserted = progress
      ? await this.db.transaction(async (tx) => {
        const rows = await insert(tx);
        if (rows[0]) await saveProgressWith(tx, progress);
        return rows[0];
      })
      : (await insert(this.db))[0];
    // The row is what was sent plus the defaults: only its time comes back, not all 24 columns to parse
    // (an answer's store writes on the embedded database: 3.98 -> 3.39 ms of CPU, docs/capacity.md §4.11).
    if (inserted) {
      return { inserted: true, attempt: { ...attempt, tutorId: null, tutorScore: null, tutorComment: null, retries: 0, createdAt: iso(inserted.created_at) } };
    }
    const existing = await this.getAttempt(attempt.id);
    if (!existing || existing.learnerId !== attempt.learnerId) {
      throw new KotoError("ATTEMPT_ID_TAKEN", "that attempt id is already used; send a new one");
    }
    return { inserted: false, attempt: existing };
  }

  async updateAttempt(attempt: AttemptRecord, progress?: ProgressWrite): Promise<void> {
    const update: SqlStatement = {
      sql: `UPDATE attempts SET status = $2, text = $3, correct = $4, overall = $5, accuracy = $6, completeness = $7,
           fluency = $8, syllables = $9, feedback = $10, failure_code = $11, failure_reason = $12, evaluation = $13,
           tutor_id = $14, tutor_score = $15, tutor_comment = $16, retries = $17,
           graded_at = CASE WHEN $15::int IS DISTINCT FROM tutor_score THEN now() ELSE graded_at END
         WHERE id = $1`,
      params: [
        attempt.id, attempt.status, attempt.text, attempt.correct, attempt.overall, attempt.accuracy,
        attempt.completeness, attempt.fluency, JSON.stringify(attempt.syllables), attempt.feedback, attempt.failureCode,
        attempt.failureReason, JSON.stringify(attempt.evaluation), attempt.tutorId, attempt.tutorScore,
        attempt.tutorComment, attempt.retries,
      ],
    };
    // The attempt and the progress it earned in one transaction; alone, one statement is atomic.
    if (progress) await this.db.batch([update, saveProgressStatement(progress)]);
    else await this.db.query(update.sql, update.params);
  }

  async listAttemptsByStatus(filter: { statuses: AttemptStatus[]; failureCodes?: string[]; maxRetries?: number; limit: number; sessionId?: string; exceptSessionIds?: string[] }): Promise<AttemptRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM attempts WHERE status = ANY($1::text[])
         AND ($2::text[] IS NULL OR failure_code = ANY($2::text[]))
         AND ($3::int IS NULL OR retries < $3)
         AND ($5::text IS NULL OR session_id = $5)
         AND ($6::text[] IS NULL OR NOT (session_id = ANY($6::text[])))
       ORDER BY created_at, id LIMIT $4`,
      [filter.statuses, filter.failureCodes ?? null, filter.maxRetries ?? null, filter.limit, filter.sessionId ?? null, filter.exceptSessionIds ?? null],
    );
    return rows.map(toAttempt);
  }

  async getAttempt(id: string): Promise<AttemptRecord | null> {
    const rows = await this.db.query("SELECT * FROM attempts WHERE id = $1", [id]);
    return rows[0] ? toAttempt(rows[0]) : null;
  }

  async listAttempts(filter: { sessionId?: string; learnerId?: string; lessonId?: string; latest?: number }): Promise<AttemptRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM (SELECT * FROM attempts WHERE ($1::text IS NULL OR session_id = $1) AND ($2::text IS NULL OR learner_id = $2)
         AND ($3::text IS NULL OR lesson_id = $3) ORDER BY created_at DESC, id DESC LIMIT $4) AS latest ORDER BY created_at, id`,
      [filter.sessionId ?? null, filter.learnerId ?? null, filter.lessonId ?? null, filter.latest ?? null],
    );
    return rows.map(toAttempt);
  }

  async listPracticeDays(learnerId: string, limit: number): Promise<number[]> {
    const rows = await this.db.query<{ day: number }>(
      `SELECT DISTINCT floor(extract(epoch FROM created_at) / 86400)::int AS day FROM attempts WHERE learner_id = $1
       ORDER BY day DESC LIMIT $2`,
      [learnerId, limit],
    );
    return rows.map((row) => row.day);
  }

  async getProgress(userId: string, lessonId: string): Promise<ProgressRecord | null> {
    const rows = await this.db.query("SELECT * FROM progress WHERE user_id = $1 AND lesson_id = $2", [userId, lessonId]);
    return rows[0] ? toProgress(rows[0]) : null;
  }

  async saveProgress(progress: ProgressWrite): Promise<void> {
    await saveProgressWith(this.db, progress);
  }

  async listProgress(userId: string): Promise<ProgressRecord[]> {
    const rows = await this.db.query("SELECT * FROM progress WHERE user_id = $1 ORDER BY lesson_id", [userId]);
    return rows.map(toProgress);
  }

  async addTutorNote(note: { sessionId: string; learnerId: string; tutorId: string; text: string }): Promise<void> {
    await this.db.query(
      "INSERT INTO tutor_notes (session_id, learner_id, tutor_id, text) VALUES ($1, $2, $3, $4)",
      [note.sessionId, note.learnerId, note.tutorId, note.text],
    );
  }

  async saveRecording(recording: RecordingRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO recordings (attempt_id, storage, object_key, content_type, byte_length, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (attempt_id) DO UPDATE SET storage = EXCLUDED.storage,
         object_key = EXCLUDED.object_key, content_type = EXCLUDED.content_type,
         byte_length = EXCLUDED.byte_length, duration_ms = EXCLUDED.duration_ms`,
      [recording.attemptId, recording.storage, recording.objectKey, recording.contentType, recording.byteLength, recording.durationMs],
    );
  }

  async getRecording(attemptId: string): Promise<RecordingRecord | null> {
    const rows = await this.db.query<Row>("SELECT * FROM recordings WHERE attempt_id = $1", [attemptId]);
    const row = rows[0];
    return row
      ? { attemptId: row.attempt_id, storage: row.storage, objectKey: row.object_key, contentType: row.content_type, byteLength: row.byte_length, durationMs: row.duration_ms }
      : null;
  }

  async releaseMemory(): Promise<void> {
    await this.db.releaseMemory?.();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
        await this.db.close();
      } finally {
        await this.releaseLock();
      }
    })();
    return this.closing;
  }
}
