-- The dialogue role a learner plays in a session, so a resumed pair keeps their roles.
ALTER TABLE session_participants ADD COLUMN dialogue_role TEXT CHECK (dialogue_role IN ('A', 'B'));
