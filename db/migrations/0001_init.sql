-- Feeds and the items they served. Shipped migrations are never edited: add 0002_… instead.

CREATE TABLE feeds (
  id              INTEGER PRIMARY KEY,
  url             TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL DEFAULT 'feed',          -- feed | openrouter-models
  title           TEXT,
  site_url        TEXT,
  tags            TEXT NOT NULL DEFAULT '[]',            -- JSON array of OPML categories
  etag            TEXT,
  last_modified   TEXT,
  next_check_at   TEXT NOT NULL,
  error_count     INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  last_error_code TEXT,
  last_success_at TEXT,
  last_checked_at TEXT,
  paused_at       TEXT,
  created_at      TEXT NOT NULL
);

CREATE TABLE items (
  id             INTEGER PRIMARY KEY,
  feed_id        INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  guid           TEXT,
  url            TEXT,
  canonical_url  TEXT,
  title          TEXT NOT NULL,
  text           TEXT NOT NULL,
  author         TEXT,
  language       TEXT,
  published_at   TEXT NOT NULL,
  date_source    TEXT NOT NULL,
  content_hash   TEXT NOT NULL,
  first_seen_at  TEXT NOT NULL,
  UNIQUE (feed_id, content_hash)
);
-- One item per (link, title) per feed even when a feed regenerates its guids; the same index finds
-- every item with a given link across feeds.
CREATE UNIQUE INDEX items_canonical ON items(canonical_url, feed_id, title) WHERE canonical_url IS NOT NULL;
CREATE INDEX items_published ON items(published_at);

-- Only the title and the first 1000 characters (the lead) of an item are indexed: that is where names,
-- versions and claims are, and indexing whole articles would triple ingest time (npm run bench).
CREATE VIRTUAL TABLE items_fts USING fts5(
  title, text, content='items', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
-- Inserts are indexed by ItemRepository in the same transaction (an AFTER INSERT trigger costs twice
-- as much per row); deletes and edits are rare and kept in step by triggers.
CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
  INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.id, old.title, substr(old.text, 1, 1000));
END;
CREATE TRIGGER items_au AFTER UPDATE OF title, text ON items BEGIN
  INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.id, old.title, substr(old.text, 1, 1000));
  INSERT INTO items_fts(rowid, title, text) VALUES (new.id, new.title, substr(new.text, 1, 1000));
END;

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  detail     TEXT NOT NULL DEFAULT '{}'
);
