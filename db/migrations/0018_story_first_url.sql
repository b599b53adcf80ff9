-- A story's first source with a URL, kept on its row: search links each hit to it without reading the
-- story's sources (on PostgreSQL, a round trip per search saved). The earliest linked item, in
-- (story_items.published_at, item_id) order, whose URL is not empty; its feed, so a team's search can tell
-- whether that source is one the team reads; and its item, so a story gaining items compares them with it
-- alone. NULL when no source has a URL. Kept by StoryRepository (flush, merge). PostgreSQL twin:
-- db/migrations-postgres/0018_story_first_url.sql.
ALTER TABLE stories ADD COLUMN first_url TEXT;
ALTER TABLE stories ADD COLUMN first_url_feed_id INTEGER;
ALTER TABLE stories ADD COLUMN first_url_item_id INTEGER;
UPDATE stories SET (first_url_item_id, first_url, first_url_feed_id) = (
  SELECT i.id, i.url, i.feed_id FROM story_items si JOIN items i ON i.id = si.item_id
  WHERE si.story_id = stories.id AND i.url IS NOT NULL AND i.url != ''
  ORDER BY si.published_at, si.item_id LIMIT 1);
