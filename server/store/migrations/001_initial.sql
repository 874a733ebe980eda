-- Users: guests (token only) and tutors (email + password hash).
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('guest', 'tutor')),
  display_name  TEXT NOT NULL,
  email         TEXT UNIQUE,
  password_hash TEXT,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per lesson room; live while ended_at is null.
CREATE TABLE lesson_sessions (
  id           TEXT PRIMARY KEY,
  lesson_id    TEXT NOT NULL,
  phase        TEXT NOT NULL,
  current_step INTEGER NOT NULL DEFAULT 0,
  started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  ended_at     TIMESTAMPTZ
);

CREATE TABLE session_participants (
  session_id   TEXT NOT NULL REFERENCES lesson_sessions(id),
  user_id      TEXT NOT NULL REFERENCES users(id),
  role         TEXT NOT NULL CHECK (role IN ('learner', 'tutor')),
  joined_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, user_id)
);

-- Attempt ids come from the client (or the server) so a replay is recognised and not duplicated.
CREATE TABLE attempts (
  id             TEXT PRIMARY KEY,
  session_id     TEXT NOT NULL REFERENCES lesson_sessions(id),
  learner_id     TEXT NOT NULL REFERENCES users(id),
  lesson_id      TEXT NOT NULL,
  step_index     INTEGER NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('typed', 'spoken')),
  status         TEXT NOT NULL,
  text           TEXT NOT NULL DEFAULT '',
  correct        BOOLEAN NOT NULL DEFAULT false,
  overall        INTEGER,
  accuracy       INTEGER,
  completeness   INTEGER,
  fluency        INTEGER,
  syllables      JSONB,
  feedback       TEXT,
  failure_reason TEXT,
  evaluation     JSONB,
  tutor_id       TEXT REFERENCES users(id),
  tutor_score    INTEGER,
  tutor_comment  TEXT,
  graded_at      TIMESTAMPTZ,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX attempts_learner_idx ON attempts (learner_id, lesson_id);
CREATE INDEX attempts_session_idx ON attempts (session_id);

-- Per learner and lesson: where they are and how well they did.
CREATE TABLE progress (
  user_id          TEXT NOT NULL REFERENCES users(id),
  lesson_id        TEXT NOT NULL,
  current_step     INTEGER NOT NULL DEFAULT 0,
  completed_steps  INTEGER[] NOT NULL DEFAULT '{}',
  attempts_count   INTEGER NOT NULL DEFAULT 0,
  best_score       INTEGER NOT NULL DEFAULT 0,
  hints_used       INTEGER NOT NULL DEFAULT 0,
  completed_at     TIMESTAMPTZ,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, lesson_id)
);

CREATE TABLE tutor_notes (
  id          BIGSERIAL PRIMARY KEY,
  session_id  TEXT NOT NULL REFERENCES lesson_sessions(id),
  learner_id  TEXT NOT NULL REFERENCES users(id),
  tutor_id    TEXT NOT NULL REFERENCES users(id),
  text        TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Audio of spoken attempts (filled by the speech pipeline).
CREATE TABLE recordings (
  attempt_id   TEXT PRIMARY KEY REFERENCES attempts(id),
  storage      TEXT NOT NULL CHECK (storage IN ('file', 's3')),
  object_key   TEXT NOT NULL,
  content_type TEXT NOT NULL,
  byte_length  INTEGER NOT NULL,
  duration_ms  INTEGER NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
