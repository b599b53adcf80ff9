-- Items are indexed by when they were first seen instead of by their feed date. Feed dates arrive in
-- any order, so every insert landed on a random page of items_published and storing 10k items took
-- about 20% longer once 50k were stored (npm run bench); first-seen times only grow, so inserts append.
-- Retention (prune) filters on first_seen_at first and uses this index.
DROP INDEX items_published;
CREATE INDEX items_first_seen ON items(first_seen_at);
