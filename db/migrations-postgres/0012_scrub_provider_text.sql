-- Version 0012 (0012_scrub_provider_text.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
