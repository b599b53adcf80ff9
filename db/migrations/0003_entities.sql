-- What each story is about (labs, model families and versions, origins, openness), and the model
-- releases seen in structured model lists (OpenRouter).

CREATE TABLE entities (
  id    INTEGER PRIMARY KEY,
  kind  TEXT NOT NULL,        -- lab | family | version | origin | openness
  key   TEXT NOT NULL,
  name  TEXT NOT NULL,
  UNIQUE (kind, key)
);

CREATE TABLE story_entities (
  story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  entity_id  INTEGER NOT NULL REFERENCES entities(id),
  PRIMARY KEY (story_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX story_entities_entity ON story_entities(entity_id);

CREATE TABLE model_releases (
  id                INTEGER PRIMARY KEY,
  feed_id           INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
  model_id          TEXT NOT NULL UNIQUE,      -- e.g. qwen/qwen3.5-397b-a17b
  name              TEXT NOT NULL,
  author            TEXT,
  lab_id            TEXT,
  origin            TEXT,                      -- US | CN | EU | other
  openness          TEXT,                      -- open-weight when weights are on Hugging Face, else closed
  hugging_face_id   TEXT,
  context_length    INTEGER,
  prompt_price      REAL,                      -- USD per million tokens
  completion_price  REAL,
  listed_at         TEXT,                      -- when the list says it was added
  first_seen_at     TEXT NOT NULL,
  baseline          INTEGER NOT NULL DEFAULT 0, -- 1: already listed when we first read the list (not news)
  item_id           INTEGER REFERENCES items(id) ON DELETE SET NULL,
  url               TEXT
);
CREATE INDEX model_releases_seen ON model_releases(first_seen_at);

-- Tags are (re)computed for a story whenever its item count differs from the count last tagged, so a
-- crash between clustering and tagging is repaired by the next cycle.
ALTER TABLE stories ADD COLUMN tagged_item_count INTEGER NOT NULL DEFAULT 0;
