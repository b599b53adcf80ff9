-- A named lab or model finds its newest stories through one index (see the SQLite twin): each tag row
-- carries its story's date, kept equal by a trigger and written by tagging.
ALTER TABLE story_entities ADD COLUMN published_at text COLLATE "C";
UPDATE story_entities se SET published_at = st.published_at FROM stories st WHERE st.id = se.story_id;
DROP INDEX story_entities_entity;
CREATE INDEX story_entities_newest ON story_entities(entity_id, published_at DESC);
CREATE FUNCTION stories_published_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE story_entities SET published_at = NEW.published_at WHERE story_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER stories_published_tags AFTER UPDATE OF published_at ON stories
  FOR EACH ROW WHEN (NEW.published_at IS DISTINCT FROM OLD.published_at) EXECUTE FUNCTION stories_published_tags();
