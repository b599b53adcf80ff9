-- When admins were last told a feed is paused or stale: one alert per episode, not one per poll.
ALTER TABLE feeds ADD COLUMN alerted_at TEXT;
ALTER TABLE feeds ADD COLUMN alert_reason TEXT;
