-- Version 0011 (0011_story_merges.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
