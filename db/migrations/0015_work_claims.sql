-- Work that any number of processes share (a feed's poll, a digest, a story's summary, a periodic job)
-- is done by whoever claims it. A claim has an owner and a lease: once expires_at has passed anyone may
-- take it over, so work a dead process held is resumed, never held forever; a live owner renews its
-- lease while it works and deletes the claim when done. Claiming is one statement that ports unchanged
-- to PostgreSQL: INSERT … ON CONFLICT (key) DO UPDATE … WHERE work_claims.expires_at <= excluded.claimed_at.
CREATE TABLE work_claims (
  key         TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  claimed_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);
CREATE INDEX work_claims_expires ON work_claims(expires_at);

-- How often a feed was checked: a process that claims a feed polls it only if nobody checked it since
-- the process listed it, so two overlapping `poll --all` runs fetch each feed once.
ALTER TABLE feeds ADD COLUMN check_count INTEGER NOT NULL DEFAULT 0;
