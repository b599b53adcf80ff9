-- Version 0007 (0007_story_terms.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
