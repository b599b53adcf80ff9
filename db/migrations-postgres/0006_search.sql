-- Version 0006 (0006_search.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
