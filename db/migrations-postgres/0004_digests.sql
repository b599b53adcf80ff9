-- Version 0004 (0004_digests.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
