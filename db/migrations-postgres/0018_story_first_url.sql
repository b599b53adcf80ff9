-- A story's first source with a URL, kept on its row: the PostgreSQL twin of
-- db/migrations/0018_story_first_url.sql (read that file for the why).
ALTER TABLE stories ADD COLUMN first_url text;
ALTER TABLE stories ADD COLUMN first_url_feed_id bigint;
ALTER TABLE stories ADD COLUMN first_url_item_id bigint;
UPDATE stories SET (first_url_item_id, first_url, first_url_feed_id) = (
  SELECT i.id, i.url, i.feed_id FROM story_items si JOIN items i ON i.id = si.item_id
  WHERE si.story_id = stories.id AND i.url IS NOT NULL AND i.url != ''
  ORDER BY si.published_at, si.item_id LIMIT 1);
