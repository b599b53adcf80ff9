-- Version 0008 (0008_item_indexes.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
