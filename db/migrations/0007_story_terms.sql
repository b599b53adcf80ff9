-- An inverted index of each story's heaviest terms, so clustering loads only the stories that share
-- words with the items at hand instead of every story in the time window.
CREATE TABLE story_terms (
  term      TEXT NOT NULL,
  story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  PRIMARY KEY (term, story_id)
) WITHOUT ROWID;
CREATE INDEX story_terms_story ON story_terms(story_id);
