-- Watch rules: instant posts to a channel for matching stories, once per story per channel.

CREATE TABLE watch_rules (
  id          INTEGER PRIMARY KEY,
  channel_id  TEXT NOT NULL,
  team_id     TEXT,
  topics      TEXT NOT NULL,                 -- the rule as typed: "lab:moonshot kind:release -rumor"
  created_by  TEXT NOT NULL,                 -- surface:user, as in the audit log
  created_at  TEXT NOT NULL                  -- only stories first seen after this are announced
);
CREATE INDEX watch_rules_channel ON watch_rules(channel_id);

-- One Slack message a watch posts: an announcement (story or model-list change), a fold of the
-- overflow past the hourly cap, or a threaded update with later sources. Claimed (pending, with its
-- rendered message) before it is posted, like a digest; the message carries its id as metadata. A lease
-- keeps a second process from delivering a message the first is still delivering; after a crash the
-- lease runs out and the next run finishes it, checking the channel first.
CREATE TABLE watch_messages (
  id          INTEGER PRIMARY KEY,
  channel_id  TEXT NOT NULL,
  kind        TEXT NOT NULL,                 -- story | fold | change | update
  parent_id   INTEGER REFERENCES watch_messages(id) ON DELETE CASCADE,  -- update: the message it replies to
  status      TEXT NOT NULL,                 -- pending | posted | failed
  message     TEXT NOT NULL,                 -- JSON {text, blocks}
  message_ts  TEXT,
  attempts    INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  lease_until TEXT,                          -- the process delivering it holds it until then
  created_at  TEXT NOT NULL,
  posted_at   TEXT
);
CREATE INDEX watch_messages_channel ON watch_messages(channel_id, created_at);
CREATE INDEX watch_messages_pending ON watch_messages(status) WHERE status = 'pending';

-- What a channel was told about: each story (or model-list change) at most once per channel. Keyed by
-- story id without a foreign key, like digests.story_ids: when stories merge, reassignStory() moves
-- the record to the surviving story, and retention keeps the record of what was posted.
CREATE TABLE watch_posts (
  id              INTEGER PRIMARY KEY,
  channel_id      TEXT NOT NULL,
  story_id        INTEGER,
  change_id       INTEGER,
  rule_id         INTEGER,
  message_id      INTEGER NOT NULL REFERENCES watch_messages(id) ON DELETE CASCADE,
  last_update_at  TEXT,                      -- the last threaded update (at most one per few hours)
  created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX watch_posts_story ON watch_posts(channel_id, story_id) WHERE story_id IS NOT NULL;
CREATE UNIQUE INDEX watch_posts_change ON watch_posts(channel_id, change_id) WHERE change_id IS NOT NULL;
CREATE INDEX watch_posts_by_story ON watch_posts(story_id);

-- The items (sources) a channel has already been shown for a story; anything else is a later source.
CREATE TABLE watch_post_items (
  post_id  INTEGER NOT NULL REFERENCES watch_posts(id) ON DELETE CASCADE,
  item_id  INTEGER NOT NULL,
  PRIMARY KEY (post_id, item_id)
) WITHOUT ROWID;

-- The Slack assistant pane: the channel a user was viewing when a thread started or last changed.
CREATE TABLE assistant_threads (
  channel_id          TEXT NOT NULL,         -- the DM the assistant thread lives in
  thread_ts           TEXT NOT NULL,
  user_id             TEXT,
  context_channel_id  TEXT,
  context_team_id     TEXT,
  enterprise_id       TEXT,
  updated_at          TEXT NOT NULL,
  PRIMARY KEY (channel_id, thread_ts)
) WITHOUT ROWID;
