-- A named lab or model finds its newest stories through one index.
--
-- Search reads "the newest 400 stories tagged with this lab or model". With only (entity_id) indexed,
-- PostgreSQL walked every story newest first and probed each for the tag: half a second on a 100k
-- archive for a model it has no story about. Each tag row now carries its story's date beside it, kept
-- equal by the trigger below (and by tagging, which writes it), so an entity's newest stories are the
-- first entries of its index.
ALTER TABLE story_entities ADD COLUMN published_at TEXT;
UPDATE story_entities SET published_at = (SELECT published_at FROM stories WHERE stories.id = story_entities.story_id);
DROP INDEX story_entities_entity;
CREATE INDEX story_entities_newest ON story_entities(entity_id, published_at DESC);
CREATE TRIGGER stories_published_tags AFTER UPDATE OF published_at ON stories
  WHEN new.published_at IS NOT old.published_at BEGIN
  UPDATE story_entities SET published_at = new.published_at WHERE story_id = new.id;
END;
