-- Built-in sources (OpenRouter's model list and its daily usage rankings) are configured by the
-- environment, not by feed rows; they produce data: the current model list, its changes, and daily
-- token counts per model.

-- One row per built-in source: which URL it last read, conditional-GET state, and health.
CREATE TABLE source_state (
  name             TEXT PRIMARY KEY,            -- openrouter-models | openrouter-rankings
  url              TEXT,                        -- the URL the stored data came from
  etag             TEXT,
  last_modified    TEXT,
  next_check_at    TEXT,                        -- earliest next attempt (interval or back-off)
  last_fetch_day   TEXT,                        -- UTC date of the last successful fetch (rankings: once a day)
  last_success_at  TEXT,
  last_checked_at  TEXT,
  error_count      INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  last_error_code  TEXT
);

-- The model list as last read: the baseline every later read is compared with.
CREATE TABLE model_list (
  model_id          TEXT PRIMARY KEY,           -- e.g. deepseek/deepseek-v4-pro
  canonical_slug    TEXT,                       -- permanent slug; the rankings' model_permaslug
  name              TEXT NOT NULL,
  author            TEXT NOT NULL,
  hugging_face_id   TEXT,
  context_length    INTEGER,
  prompt_price      REAL,                       -- USD per million tokens
  completion_price  REAL,
  expiration_date   TEXT,
  seen_at           TEXT NOT NULL
);
CREATE INDEX model_list_slug ON model_list(canonical_slug);

-- What changed between two reads of the list. before/after are JSON values.
CREATE TABLE model_changes (
  id        INTEGER PRIMARY KEY,
  model_id  TEXT NOT NULL,
  kind      TEXT NOT NULL,                      -- new | removed | price | context | deprecation | openness
  before    TEXT NOT NULL DEFAULT 'null',
  after     TEXT NOT NULL DEFAULT 'null',
  at        TEXT NOT NULL
);
CREATE INDEX model_changes_at ON model_changes(at);

-- Daily token counts per model (OpenRouter rankings, CC BY 4.0). A restated day replaces its rows.
CREATE TABLE usage_daily (
  day             TEXT NOT NULL,                -- YYYY-MM-DD (UTC)
  model_permaslug TEXT NOT NULL,                -- 'other' is the unattributed long tail
  total_tokens    INTEGER NOT NULL,
  as_of           TEXT NOT NULL,                -- meta.as_of of the snapshot that wrote the day
  PRIMARY KEY (day, model_permaslug)
) WITHOUT ROWID;

-- Every rankings response's meta, kept with the data it brought.
CREATE TABLE usage_fetches (
  id          INTEGER PRIMARY KEY,
  fetched_at  TEXT NOT NULL,
  as_of       TEXT NOT NULL,
  start_date  TEXT NOT NULL,
  end_date    TEXT NOT NULL,
  version     TEXT,
  rows        INTEGER NOT NULL
);

-- A channel may ask for a weekly chart in its digest thread; when it last got one.
ALTER TABLE channels ADD COLUMN weekly_chart INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN chart_posted_at TEXT;

-- The model list used to be a feed row (kind openrouter-models) seeded next to the RSS feeds. It is now
-- a built-in source: the oldest such row becomes the built-in source's own row, which keeps the release
-- items it already owns (and their stories) but is no longer polled, listed or counted as a feed. Any
-- other model-list row an admin added with `feeds add` stays an ordinary model-list feed.
UPDATE feeds
SET kind = 'builtin', url = 'builtin:openrouter-models', title = 'OpenRouter models', etag = NULL,
    last_modified = NULL, paused_at = NULL, error_count = 0, last_error = NULL, last_error_code = NULL
WHERE id = (SELECT min(id) FROM feeds WHERE kind = 'openrouter-models');
