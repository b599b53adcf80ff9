-- Version 0009 (0009_slack_events_and_limits.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
