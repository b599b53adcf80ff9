-- Tenancy: what a Slack workspace ("team") owns carries its team id. The default team is '' (the empty
-- string): single-workspace mode's only team, and the owner of everything stored before this migration
-- whose team has no installation — so an upgraded single-workspace database behaves as before. Rows
-- already tagged with an installed team (OAuth distribution) keep it. Items, stories, entities, the
-- model list and rankings stay shared. PostgreSQL twin: db/migrations-postgres/0017_tenancy.sql.

-- A team's feed subscriptions. `feeds` stays one row per URL, fetched once however many teams subscribe;
-- a feed no team subscribes to is not polled. Alerts about a paused or stale feed are per subscriber.
CREATE TABLE team_feeds (
  team_id       TEXT NOT NULL,
  feed_id       INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  created_at    TEXT NOT NULL,
  alerted_at    TEXT,
  alert_reason  TEXT,
  PRIMARY KEY (team_id, feed_id)
);
CREATE INDEX team_feeds_feed ON team_feeds(feed_id);
-- Before tenancy every workspace saw every feed: the default team and each installed team subscribe to all.
INSERT INTO team_feeds (team_id, feed_id, created_at, alerted_at, alert_reason)
  SELECT '', id, created_at, alerted_at, alert_reason FROM feeds WHERE kind != 'builtin';
INSERT INTO team_feeds (team_id, feed_id, created_at)
  SELECT t.team_id, f.id, f.created_at
  FROM feeds f CROSS JOIN (SELECT DISTINCT team_id FROM slack_installations WHERE team_id IS NOT NULL AND team_id != '') t
  WHERE f.kind != 'builtin';

-- Channel ids are unique only within a team: channels are keyed by (team_id, id).
CREATE TABLE channels_t (
  team_id          TEXT NOT NULL DEFAULT '',
  id               TEXT NOT NULL,
  digest_time      TEXT NOT NULL DEFAULT '08:00',
  timezone         TEXT,
  language         TEXT,
  topics           TEXT NOT NULL DEFAULT '',
  subscribed       INTEGER NOT NULL DEFAULT 1,
  subscribed_by    TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  weekly_chart     INTEGER NOT NULL DEFAULT 0,
  chart_posted_at  TEXT,
  PRIMARY KEY (team_id, id)
);
INSERT INTO channels_t (team_id, id, digest_time, timezone, language, topics, subscribed, subscribed_by, created_at,
                        updated_at, weekly_chart, chart_posted_at)
  SELECT CASE WHEN team_id IN (SELECT team_id FROM slack_installations WHERE team_id IS NOT NULL) THEN team_id ELSE '' END,
         id, digest_time, timezone, language, topics, subscribed, subscribed_by, created_at, updated_at, weekly_chart,
         chart_posted_at
  FROM channels;
DROP TABLE channels;
ALTER TABLE channels_t RENAME TO channels;

-- Digests: one per (team, channel, window). SQLite cannot drop a table constraint, so digests and their
-- parts are rebuilt; the parts are moved first so dropping the old digests cascades to nothing.
CREATE TABLE digests_t (
  id            INTEGER PRIMARY KEY,
  team_id       TEXT NOT NULL DEFAULT '',
  channel_id    TEXT NOT NULL,
  window_key    TEXT NOT NULL,
  window_from   TEXT NOT NULL,
  window_to     TEXT NOT NULL,
  status        TEXT NOT NULL,
  parts         INTEGER NOT NULL DEFAULT 0,
  message_ts    TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  error         TEXT,
  story_ids     TEXT NOT NULL DEFAULT '[]',
  tokens        INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  posted_at     TEXT,
  messages      TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO digests_t (id, team_id, channel_id, window_key, window_from, window_to, status, parts, message_ts, attempts,
                       error, story_ids, tokens, created_at, posted_at, messages)
  SELECT d.id, coalesce((SELECT c.team_id FROM channels c WHERE c.id = d.channel_id), ''), d.channel_id, d.window_key,
         d.window_from, d.window_to, d.status, d.parts, d.message_ts, d.attempts, d.error, d.story_ids, d.tokens,
         d.created_at, d.posted_at, d.messages
  FROM digests d;
CREATE TABLE digest_parts_t (
  digest_id  INTEGER NOT NULL REFERENCES digests_t(id) ON DELETE CASCADE,
  part       INTEGER NOT NULL,
  ts         TEXT NOT NULL,
  PRIMARY KEY (digest_id, part)
) WITHOUT ROWID;
INSERT INTO digest_parts_t (digest_id, part, ts) SELECT digest_id, part, ts FROM digest_parts;
DROP TABLE digest_parts;
DROP TABLE digests;
ALTER TABLE digests_t RENAME TO digests;
ALTER TABLE digest_parts_t RENAME TO digest_parts;
CREATE UNIQUE INDEX digests_window ON digests(team_id, channel_id, window_key);
CREATE INDEX digests_status ON digests(status);

-- Feedback (👍/👎) is the channel's, within its team.
CREATE TABLE feedback_t (
  team_id     TEXT NOT NULL DEFAULT '',
  channel_id  TEXT NOT NULL,
  story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  user_id     TEXT NOT NULL,
  value       INTEGER NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (team_id, channel_id, story_id, user_id)
) WITHOUT ROWID;
INSERT INTO feedback_t (team_id, channel_id, story_id, user_id, value, at)
  SELECT coalesce((SELECT c.team_id FROM channels c WHERE c.id = f.channel_id), ''), f.channel_id, f.story_id, f.user_id,
         f.value, f.at
  FROM feedback f;
DROP TABLE feedback;
ALTER TABLE feedback_t RENAME TO feedback;
CREATE INDEX feedback_story ON feedback(story_id);

-- Watch rules: team_id becomes required (rebuilt; nothing references a rule by foreign key).
CREATE TABLE watch_rules_t (
  id          INTEGER PRIMARY KEY,
  team_id     TEXT NOT NULL DEFAULT '',
  channel_id  TEXT NOT NULL,
  topics      TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
INSERT INTO watch_rules_t (id, team_id, channel_id, topics, created_by, created_at)
  SELECT id,
         CASE WHEN team_id IN (SELECT team_id FROM slack_installations WHERE team_id IS NOT NULL) THEN team_id ELSE '' END,
         channel_id, topics, created_by, created_at
  FROM watch_rules;
DROP TABLE watch_rules;
ALTER TABLE watch_rules_t RENAME TO watch_rules;
CREATE INDEX watch_rules_channel ON watch_rules(team_id, channel_id);

-- Watch messages and posts: the team of the channel they went to.
ALTER TABLE watch_messages ADD COLUMN team_id TEXT NOT NULL DEFAULT '';
UPDATE watch_messages SET team_id = coalesce(
  (SELECT r.team_id FROM watch_rules r WHERE r.channel_id = watch_messages.channel_id ORDER BY r.id LIMIT 1), '');
DROP INDEX watch_messages_channel;
CREATE INDEX watch_messages_channel ON watch_messages(team_id, channel_id, created_at);
ALTER TABLE watch_posts ADD COLUMN team_id TEXT NOT NULL DEFAULT '';
UPDATE watch_posts SET team_id = coalesce((SELECT m.team_id FROM watch_messages m WHERE m.id = watch_posts.message_id), '');
DROP INDEX watch_posts_story;
DROP INDEX watch_posts_change;
CREATE UNIQUE INDEX watch_posts_story ON watch_posts(team_id, channel_id, story_id) WHERE story_id IS NOT NULL;
CREATE UNIQUE INDEX watch_posts_change ON watch_posts(team_id, channel_id, change_id) WHERE change_id IS NOT NULL;

-- Audit entries belong to the team whose admin made the change.
ALTER TABLE audit_log ADD COLUMN team_id TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_team ON audit_log(team_id, id);

-- Model spend: a question's tokens belong to the team that asked; summaries are shared (team_id NULL).
ALTER TABLE llm_usage ADD COLUMN team_id TEXT;
UPDATE llm_usage SET team_id = '' WHERE purpose != 'summarize';

-- Assistant threads live in a team's DM channel: keyed by (team_id, channel_id, thread_ts).
CREATE TABLE assistant_threads_t (
  team_id             TEXT NOT NULL DEFAULT '',
  channel_id          TEXT NOT NULL,
  thread_ts           TEXT NOT NULL,
  user_id             TEXT,
  context_channel_id  TEXT,
  context_team_id     TEXT,
  enterprise_id       TEXT,
  updated_at          TEXT NOT NULL,
  PRIMARY KEY (team_id, channel_id, thread_ts)
) WITHOUT ROWID;
INSERT INTO assistant_threads_t (team_id, channel_id, thread_ts, user_id, context_channel_id, context_team_id,
                                 enterprise_id, updated_at)
  SELECT CASE WHEN context_team_id IN (SELECT team_id FROM slack_installations WHERE team_id IS NOT NULL)
              THEN context_team_id ELSE '' END,
         channel_id, thread_ts, user_id, context_channel_id, context_team_id, enterprise_id, updated_at
  FROM assistant_threads;
DROP TABLE assistant_threads;
ALTER TABLE assistant_threads_t RENAME TO assistant_threads;

-- Rate-limit buckets of a team other than the default one are prefixed with its id ("T123/ask:U1"): no schema change.
