-- Until this version a model failure's reason carried the provider's own error text, which can echo the
-- request's API key ("Incorrect API key provided: sk-…"). Reasons are now fixed per failure class; rows
-- written before keep no provider text either: the three reasons that embedded it become their class's
-- fixed reason. The other old reasons were fixed texts already and stay as they are.
UPDATE stories SET summary_reason = CASE
    WHEN summary_reason LIKE 'model request rejected (%' THEN
      'the model rejected the request' ||
      CASE WHEN substr(summary_reason, 25, 3) GLOB '[1-5][0-9][0-9]' THEN ' (' || substr(summary_reason, 25, 3) || ')' ELSE '' END
    WHEN summary_reason LIKE 'model refused:%' THEN 'the model refused the request'
    ELSE 'the model call failed'
  END
WHERE summary_reason LIKE 'model request rejected (%'
   OR summary_reason LIKE 'model refused:%'
   OR summary_reason LIKE 'model call failed:%';

UPDATE llm_usage SET error = CASE
    WHEN error LIKE 'model request rejected (%' THEN
      'the model rejected the request' ||
      CASE WHEN substr(error, 25, 3) GLOB '[1-5][0-9][0-9]' THEN ' (' || substr(error, 25, 3) || ')' ELSE '' END
    WHEN error LIKE 'model refused:%' THEN 'the model refused the request'
    ELSE 'the model call failed'
  END
WHERE error LIKE 'model request rejected (%'
   OR error LIKE 'model refused:%'
   OR error LIKE 'model call failed:%';

-- Usage figures a provider reported as negative, fractional, non-numeric or absurd were stored as
-- given and could switch the daily budget off; clamp them as new rows are clamped (0 … 10,000,000).
UPDATE llm_usage SET
  prompt_tokens = CASE
    WHEN typeof(prompt_tokens) IN ('integer', 'real') AND prompt_tokens > 0 THEN min(CAST(prompt_tokens AS INTEGER), 10000000)
    ELSE 0 END,
  completion_tokens = CASE
    WHEN typeof(completion_tokens) IN ('integer', 'real') AND completion_tokens > 0 THEN min(CAST(completion_tokens AS INTEGER), 10000000)
    ELSE 0 END
WHERE typeof(prompt_tokens) <> 'integer' OR prompt_tokens < 0 OR prompt_tokens > 10000000
   OR typeof(completion_tokens) <> 'integer' OR completion_tokens < 0 OR completion_tokens > 10000000;
