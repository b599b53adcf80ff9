-- Version 0014 (0014_story_item_order.sql) is part of 0001_init.sql on PostgreSQL, whose support starts at v15.
SELECT 1;
