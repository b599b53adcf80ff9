-- Version 0010 (0010_builtin_sources.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
