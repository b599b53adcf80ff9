-- Slack installations for OAuth distribution (see db/migrations/0016_installations.sql): one row per
-- workspace, or per Enterprise Grid org for an org-wide install; `sealed` is the installation encrypted
-- with AES-256-GCM under SECRETS_KEY, the other columns hold no secret.
CREATE TABLE slack_installations (
  install_key    text COLLATE "C" PRIMARY KEY,
  team_id        text COLLATE "C",
  enterprise_id  text COLLATE "C",
  is_enterprise  bigint NOT NULL DEFAULT 0,
  team_name      text,
  bot_user_id    text,
  sealed         text NOT NULL,
  expires_at     bigint,
  installed_at   text COLLATE "C" NOT NULL,
  updated_at     text COLLATE "C" NOT NULL
);
CREATE INDEX slack_installations_team ON slack_installations(team_id);
CREATE INDEX slack_installations_enterprise ON slack_installations(enterprise_id);
