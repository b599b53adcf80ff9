-- The number of stories, kept by triggers, so a search reads it instead of counting.
--
-- Search sets a word aside as too common when it is in more than a tenth of the archive, so it needs the
-- archive's size whenever a word is in more than 50 stories. Counting 100k stories took PostgreSQL about
-- 38 ms per search (a full scan; SQLite walks its smallest index); one row kept by triggers answers at once
-- on both engines. Stories are created by clustering (one writer at a time) and deleted by merges and
-- pruning, so the one row is never contended for long.
CREATE TABLE story_count (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  n INTEGER NOT NULL
);
INSERT INTO story_count (one, n) SELECT 1, count(*) FROM stories;
CREATE TRIGGER stories_count_insert AFTER INSERT ON stories BEGIN
  UPDATE story_count SET n = n + 1;
END;
CREATE TRIGGER stories_count_delete AFTER DELETE ON stories BEGIN
  UPDATE story_count SET n = n - 1;
END;
