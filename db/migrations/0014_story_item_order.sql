-- Work per new item, not per story size or archive size.
--
-- A story item carries its date beside its feed (0011), so a story lists its first sources through an
-- index: listing a big story's first 100 sources (for tags, summaries and its search entry) no longer
-- reads and sorts all of them.
ALTER TABLE story_items ADD COLUMN published_at TEXT;
UPDATE story_items SET published_at = (SELECT published_at FROM items WHERE items.id = story_items.item_id);
DROP INDEX story_items_story;
CREATE INDEX story_items_story_published ON story_items(story_id, published_at, item_id);

-- Items waiting for a story: exactly the items with no story_items row, kept so by triggers whatever
-- code path stores or places an item. Clustering reads the queue instead of scanning every item.
CREATE TABLE cluster_queue (
  item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE
);
INSERT INTO cluster_queue (item_id)
  SELECT id FROM items WHERE NOT EXISTS (SELECT 1 FROM story_items si WHERE si.item_id = items.id);
CREATE TRIGGER items_enqueue AFTER INSERT ON items BEGIN
  INSERT INTO cluster_queue (item_id) VALUES (new.id);
END;
CREATE TRIGGER story_items_dequeue AFTER INSERT ON story_items BEGIN
  DELETE FROM cluster_queue WHERE item_id = new.item_id;
END;

-- Stories waiting for tags or a summary, found without scanning every story.
CREATE INDEX stories_untagged ON stories(id) WHERE tagged_item_count != item_count;
CREATE INDEX stories_unsummarized ON stories(id)
  WHERE summary_count = 0 OR (summary_count = 1 AND item_count >= 2 * summarized_item_count AND source_count >= 3);

-- Tagging asks, for each source, whether it is a model release; deleting an item clears its release's
-- link. Both looked through every release.
CREATE INDEX model_releases_item ON model_releases(item_id);
