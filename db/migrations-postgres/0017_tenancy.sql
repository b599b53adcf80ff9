-- Tenancy, the PostgreSQL twin of db/migrations/0017_tenancy.sql (read that file for the why). The default
-- team is '' (the empty string); rows of an installed team keep its id. Same tables, columns and keys.

CREATE TABLE team_feeds (
  team_id       text COLLATE "C" NOT NULL,
  feed_id       bigint NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  created_at    text COLLATE "C" NOT NULL,
  alerted_at    text COLLATE "C",
  alert_reason  text,
  PRIMARY KEY (team_id, feed_id)
);
CREATE INDEX team_feeds_feed ON team_feeds(feed_id);
INSERT INTO team_feeds (team_id, feed_id, created_at, alerted_at, alert_reason)
  SELECT '', id, created_at, alerted_at, alert_reason FROM feeds WHERE kind != 'builtin';
INSERT INTO team_feeds (team_id, feed_id, created_at)
  SELECT t.team_id, f.id, f.created_at
  FROM feeds f CROSS JOIN (SELECT DISTINCT team_id FROM slack_installations WHERE team_id IS NOT NULL AND team_id != '') t
  WHERE f.kind != 'builtin';

-- channels: keyed by (team_id, id).
UPDATE channels SET team_id = CASE
  WHEN team_id IN (SELECT team_id FROM slack_installations WHERE team_id IS NOT NULL) THEN team_id ELSE '' END;
ALTER TABLE channels ALTER COLUMN team_id TYPE text COLLATE "C";
ALTER TABLE channels ALTER COLUMN team_id SET DEFAULT '';
ALTER TABLE channels ALTER COLUMN team_id SET NOT NULL;
ALTER TABLE channels DROP CONSTRAINT channels_pkey;
ALTER TABLE channels ADD PRIMARY KEY (team_id, id);

-- digests: one per (team, channel, window).
ALTER TABLE digests ADD COLUMN team_id text COLLATE "C" NOT NULL DEFAULT '';
UPDATE digests SET team_id = coalesce((SELECT c.team_id FROM channels c WHERE c.id = digests.channel_id LIMIT 1), '');
ALTER TABLE digests DROP CONSTRAINT digests_channel_id_window_key_key;
CREATE UNIQUE INDEX digests_window ON digests(team_id, channel_id, window_key);

-- feedback: the channel's, within its team.
ALTER TABLE feedback ADD COLUMN team_id text COLLATE "C" NOT NULL DEFAULT '';
UPDATE feedback SET team_id = coalesce((SELECT c.team_id FROM channels c WHERE c.id = feedback.channel_id LIMIT 1), '');
ALTER TABLE feedback DROP CONSTRAINT feedback_pkey;
ALTER TABLE feedback ADD PRIMARY KEY (team_id, channel_id, story_id, user_id);
CREATE INDEX feedback_story ON feedback(story_id);

-- watch rules: team_id required.
UPDATE watch_rules SET team_id = CASE
  WHEN team_id IN (SELECT team_id FROM slack_installations WHERE team_id IS NOT NULL) THEN team_id ELSE '' END;
ALTER TABLE watch_rules ALTER COLUMN team_id TYPE text COLLATE "C";
ALTER TABLE watch_rules ALTER COLUMN team_id SET DEFAULT '';
ALTER TABLE watch_rules ALTER COLUMN team_id SET NOT NULL;
DROP INDEX watch_rules_channel;
CREATE INDEX watch_rules_channel ON watch_rules(team_id, channel_id);

ALTER TABLE watch_messages ADD COLUMN team_id text COLLATE "C" NOT NULL DEFAULT '';
UPDATE watch_messages SET team_id = coalesce(
  (SELECT r.team_id FROM watch_rules r WHERE r.channel_id = watch_messages.channel_id ORDER BY r.id LIMIT 1), '');
DROP INDEX watch_messages_channel;
CREATE INDEX watch_messages_channel ON watch_messages(team_id, channel_id, created_at);
ALTER TABLE watch_posts ADD COLUMN team_id text COLLATE "C" NOT NULL DEFAULT '';
UPDATE watch_posts SET team_id = coalesce((SELECT m.team_id FROM watch_messages m WHERE m.id = watch_posts.message_id), '');
DROP INDEX watch_posts_story;
DROP INDEX watch_posts_change;
CREATE UNIQUE INDEX watch_posts_story ON watch_posts(team_id, channel_id, story_id) WHERE story_id IS NOT NULL;
CREATE UNIQUE INDEX watch_posts_change ON watch_posts(team_id, channel_id, change_id) WHERE change_id IS NOT NULL;

ALTER TABLE audit_log ADD COLUMN team_id text COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX audit_log_team ON audit_log(team_id, id);

ALTER TABLE llm_usage ADD COLUMN team_id text COLLATE "C";
UPDATE llm_usage SET team_id = '' WHERE purpose != 'summarize';

-- assistant threads: keyed by (team_id, channel_id, thread_ts).
ALTER TABLE assistant_threads ADD COLUMN team_id text COLLATE "C" NOT NULL DEFAULT '';
UPDATE assistant_threads SET team_id = CASE
  WHEN context_team_id IN (SELECT team_id FROM slack_installations WHERE team_id IS NOT NULL) THEN context_team_id ELSE '' END;
ALTER TABLE assistant_threads DROP CONSTRAINT assistant_threads_pkey;
ALTER TABLE assistant_threads ADD PRIMARY KEY (team_id, channel_id, thread_ts);
