-- Item indexes that let inserts stay local. A poll stores one feed's new items in one transaction, and
-- an index whose order scatters them touches a page per item: storing 10k items took twice as long once
-- 50k were stored (npm run bench).
--
-- Feed dates arrive in any order; first-seen times only grow, so that index appends. Retention filters
-- on first_seen_at first and uses it.
DROP INDEX items_published;
CREATE INDEX items_first_seen ON items(first_seen_at);

-- The same uniqueness as before (one item per link and title per feed), led by the feed so one feed's
-- inserts land together; a narrower index on the link alone serves cross-feed lookups by URL.
DROP INDEX items_canonical;
CREATE UNIQUE INDEX items_feed_link ON items(feed_id, canonical_url, title) WHERE canonical_url IS NOT NULL;
CREATE INDEX items_url ON items(canonical_url) WHERE canonical_url IS NOT NULL;
