-- Version 0003 (0003_entities.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
