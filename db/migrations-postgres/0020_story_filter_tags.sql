-- A story's origin and openness tags on its row (see the SQLite twin): written by tagging, read by a
-- search that filters by origin or openness; a JSON array of [kind, key] ordered by kind then key, or NULL.
ALTER TABLE stories ADD COLUMN filter_tags text;
UPDATE stories st SET filter_tags = (
  SELECT json_agg(json_build_array(e.kind, e.key) ORDER BY e.kind, e.key)::text
  FROM story_entities se JOIN entities e ON e.id = se.entity_id
  WHERE se.story_id = st.id AND e.kind IN ('origin', 'openness')
);
