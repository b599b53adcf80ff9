-- Slack installations for OAuth distribution: one row per workspace (or per Enterprise Grid org for an
-- org-wide install), written by /slack/oauth_redirect and read for every request and scheduled post.
-- `sealed` is the whole installation as Bolt describes it (bot token, refresh token, user token, scopes…)
-- encrypted with AES-256-GCM under SECRETS_KEY; the other columns are what lookups and listings need,
-- and hold no secret. Rows are deleted on app_uninstalled / tokens_revoked.
CREATE TABLE slack_installations (
  install_key    TEXT PRIMARY KEY,           -- the team id, or the enterprise id of an org-wide install
  team_id        TEXT,
  enterprise_id  TEXT,
  is_enterprise  INTEGER NOT NULL DEFAULT 0,
  team_name      TEXT,
  bot_user_id    TEXT,
  sealed         TEXT NOT NULL,
  expires_at     INTEGER,                    -- bot token expiry with token rotation (unix seconds), else NULL
  installed_at   TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX slack_installations_team ON slack_installations(team_id);
CREATE INDEX slack_installations_enterprise ON slack_installations(enterprise_id);
