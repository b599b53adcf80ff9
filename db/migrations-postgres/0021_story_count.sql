-- The number of stories, kept by triggers, so a search reads it instead of counting (see the SQLite
-- twin): one statement-level trigger per INSERT or DELETE, which adds the rows it saw.
CREATE TABLE story_count (
  one integer PRIMARY KEY CHECK (one = 1),
  n bigint NOT NULL
);
INSERT INTO story_count (one, n) SELECT 1, count(*) FROM stories;
CREATE FUNCTION story_count_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE k bigint;
BEGIN
  SELECT count(*) INTO k FROM added;
  -- A statement that inserted nothing leaves the row (and its lock) alone.
  IF k > 0 THEN UPDATE story_count SET n = n + k; END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION story_count_remove() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE k bigint;
BEGIN
  SELECT count(*) INTO k FROM removed;
  IF k > 0 THEN UPDATE story_count SET n = n - k; END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stories_count_insert AFTER INSERT ON stories REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION story_count_add();
CREATE TRIGGER stories_count_delete AFTER DELETE ON stories REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION story_count_remove();
