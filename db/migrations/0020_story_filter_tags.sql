-- A story's origin and openness tags on its row.
--
-- Search reads them for every story it returns when a question filters by origin or openness ("open
-- models from China"). Read per story through story_entities and entities, they were half of such a
-- search's time on PostgreSQL. Tagging writes this column with the tags themselves (EntityRepository),
-- as a JSON array of [kind, key] ordered by kind then key, or NULL when the story has none.
ALTER TABLE stories ADD COLUMN filter_tags TEXT;
UPDATE stories SET filter_tags = (
  SELECT json_group_array(json_array(e.kind, e.key) ORDER BY e.kind, e.key)
  FROM story_entities se JOIN entities e ON e.id = se.entity_id
  WHERE se.story_id = stories.id AND e.kind IN ('origin', 'openness')
  HAVING count(*) > 0
);
