-- Clustering on real news (issue 12): stories can merge when a later report shows two were one event,
-- each source records in words why it joined, and a story's labs are split into what it is about and what
-- it only mentions.

-- A merged-away story's id keeps working (feedback buttons, digests, links): it resolves to the story that
-- absorbed it. Chains resolve hop by hop.
CREATE TABLE story_merges (
  from_id  INTEGER PRIMARY KEY,
  into_id  INTEGER NOT NULL,
  at       TEXT NOT NULL
);

-- Why a report joined its story, as `stories --explain` prints it ("same model deepseek@3.1; score …").
ALTER TABLE story_items ADD COLUMN detail TEXT;

-- 'about': named in a source's title or lead, not as a comparison; 'mention': only in the body or as a
-- comparison. Digest labels, topic filters and trends use 'about'; search and ask use both.
ALTER TABLE story_entities ADD COLUMN role TEXT NOT NULL DEFAULT 'about';

-- The feed of each item in a story, beside it: "has this feed already reported this story?" is one index
-- probe, so a story's source count moves by one per join however big the story grows.
ALTER TABLE story_items ADD COLUMN feed_id INTEGER;
UPDATE story_items SET feed_id = (SELECT feed_id FROM items WHERE items.id = story_items.item_id);
CREATE INDEX story_items_story_feed ON story_items(story_id, feed_id);
