-- Version 0013 (0013_watch_assistant.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
