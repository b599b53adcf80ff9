-- Version 0005 (0005_feed_alerts.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
