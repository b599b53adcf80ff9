-- Version 0015 (0015_work_claims.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
