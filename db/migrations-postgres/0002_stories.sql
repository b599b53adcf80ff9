-- Version 0002 (0002_stories.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
