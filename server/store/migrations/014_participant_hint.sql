-- The hint a learner was last given in a session (asked for, or sent by a tutor) and the line it was
-- given on, so a session resumed after a restart shows it again until that line is passed.
ALTER TABLE session_participants ADD COLUMN last_hint TEXT;
ALTER TABLE session_participants ADD COLUMN last_hint_step INTEGER;
