-- Channels that receive a daily digest, the digests themselves (the exactly-once record), and
-- per-channel feedback on stories.

CREATE TABLE channels (
  id             TEXT PRIMARY KEY,            -- Slack channel id (C…, G…)
  team_id        TEXT,
  digest_time    TEXT NOT NULL DEFAULT '08:00',  -- HH:MM local time
  timezone       TEXT,                        -- IANA zone; NULL = DEFAULT_TIMEZONE
  language       TEXT,                        -- BCP 47; NULL = DIGEST_LANGUAGE
  topics         TEXT NOT NULL DEFAULT '',    -- filter words, e.g. "lab:deepseek origin:CN -lab:meta"
  subscribed     INTEGER NOT NULL DEFAULT 1,
  subscribed_by  TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

CREATE TABLE digests (
  id            INTEGER PRIMARY KEY,
  channel_id    TEXT NOT NULL,
  window_key    TEXT NOT NULL,                -- the local date the digest is for (scheduled), or a unique key
  window_from   TEXT NOT NULL,
  window_to     TEXT NOT NULL,
  status        TEXT NOT NULL,                -- pending | posted | failed
  parts         INTEGER NOT NULL DEFAULT 0,   -- messages the digest needs
  message_ts    TEXT,                         -- ts of the first message (the thread parent)
  attempts      INTEGER NOT NULL DEFAULT 0,
  error         TEXT,
  story_ids     TEXT NOT NULL DEFAULT '[]',
  tokens        INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  posted_at     TEXT,
  UNIQUE (channel_id, window_key)
);
CREATE INDEX digests_status ON digests(status);

-- Each posted message of a digest, so a restart never posts a part twice.
CREATE TABLE digest_parts (
  digest_id  INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,
  part       INTEGER NOT NULL,
  ts         TEXT NOT NULL,
  PRIMARY KEY (digest_id, part)
) WITHOUT ROWID;

CREATE TABLE feedback (
  channel_id  TEXT NOT NULL,
  story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  user_id     TEXT NOT NULL,
  value       INTEGER NOT NULL,               -- +1 or -1
  at          TEXT NOT NULL,
  PRIMARY KEY (channel_id, story_id, user_id)
) WITHOUT ROWID;

-- The rendered messages, stored when the digest is claimed, so a restart posts exactly what was meant.
ALTER TABLE digests ADD COLUMN messages TEXT NOT NULL DEFAULT '[]';
