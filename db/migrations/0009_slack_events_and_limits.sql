-- Slack Events API deliveries already handled. Slack retries an event (X-Slack-Retry-Num) with the same
-- event_id; remembering ids here, not in memory, holds across restarts and across processes sharing the
-- file. Rows older than a day are deleted as new ones arrive (Slack retries within the hour).
CREATE TABLE slack_events (
  event_id     TEXT PRIMARY KEY,
  received_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX slack_events_received ON slack_events(received_at);

-- Uses of things members share, for sliding-window limits: `digest now` per channel, questions per
-- user. A use is counted and inserted in one IMMEDIATE transaction, so concurrent requests from any
-- number of processes cannot both pass a limit of one.
CREATE TABLE rate_limit_hits (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a manual digest key includes it
  bucket  TEXT NOT NULL,     -- e.g. "digest-now:C0123", "ask:U0123"
  at      TEXT NOT NULL
);
CREATE INDEX rate_limit_hits_bucket ON rate_limit_hits(bucket, at);
