-- The attempt lifecycle (server/attempts): failures carry a code clients translate, and attempts
-- failed by a provider outage count their automatic re-evaluations.
ALTER TABLE attempts ADD COLUMN failure_code TEXT;
ALTER TABLE attempts ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
CREATE INDEX attempts_status_idx ON attempts (status);
