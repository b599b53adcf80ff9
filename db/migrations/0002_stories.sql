-- Stories: one event, many sources. An item joins exactly one story, once; that decision is never
-- revisited, so stories never split or change identity.

CREATE TABLE stories (
  id                     INTEGER PRIMARY KEY,
  first_seen_at          TEXT NOT NULL,
  updated_at             TEXT NOT NULL,
  published_at           TEXT NOT NULL,               -- earliest item date
  last_item_at           TEXT NOT NULL,               -- latest item date, for the clustering window
  title                  TEXT NOT NULL,
  terms                  TEXT NOT NULL DEFAULT '[]',  -- JSON: weighted terms used for similarity
  keys                   TEXT NOT NULL DEFAULT '[]',  -- JSON: entity keys (model versions) for clustering
  item_count             INTEGER NOT NULL DEFAULT 0,
  source_count           INTEGER NOT NULL DEFAULT 0,  -- distinct feeds
  summary                TEXT,
  summary_source         TEXT,                        -- model | offline | fallback
  summary_reason         TEXT,                        -- why a fallback or offline summary was used
  summary_model          TEXT,
  summary_language       TEXT,
  summarized_item_count  INTEGER NOT NULL DEFAULT 0,
  summary_count          INTEGER NOT NULL DEFAULT 0   -- how often it was summarized (at most 2)
);
CREATE INDEX stories_last_item ON stories(last_item_at);
CREATE INDEX stories_published ON stories(published_at);

CREATE TABLE story_items (
  story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  item_id    INTEGER NOT NULL UNIQUE REFERENCES items(id) ON DELETE CASCADE,
  reason     TEXT NOT NULL,                           -- new | url | similar | entity
  score      REAL,
  joined_at  TEXT NOT NULL
);
CREATE INDEX story_items_story ON story_items(story_id);

CREATE VIRTUAL TABLE stories_fts USING fts5(
  title, summary, sources, tokenize='unicode61 remove_diacritics 2'
);

-- Summaries already paid for, by content hash + model + language.
CREATE TABLE summary_cache (
  key         TEXT PRIMARY KEY,
  summary     TEXT NOT NULL,
  model       TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

-- Every model call: what it was for, what it cost, whether it worked.
CREATE TABLE llm_usage (
  id                 INTEGER PRIMARY KEY,
  at                 TEXT NOT NULL,
  purpose            TEXT NOT NULL,                   -- summarize | ask
  model              TEXT NOT NULL,
  prompt_tokens      INTEGER NOT NULL DEFAULT 0,
  completion_tokens  INTEGER NOT NULL DEFAULT 0,
  ok                 INTEGER NOT NULL,
  error              TEXT
);
CREATE INDEX llm_usage_at ON llm_usage(at);
