-- Platform console and merchant users (docs/operations.md "Onboarding and suspension"):
-- a merchant's slug (its short, unique, lower-case name), and why and when its status last changed. A suspended
-- merchant keeps every row; its API keys and admin users are refused with 403 MERCHANT_SUSPENDED, its links and
-- sign-up stop. Nothing is deleted.
ALTER TABLE merchants ADD COLUMN IF NOT EXISTS slug text;
--;
CREATE UNIQUE INDEX IF NOT EXISTS merchants_slug ON merchants (slug);
--;
ALTER TABLE merchants ADD COLUMN IF NOT EXISTS status_reason text;
--;
ALTER TABLE merchants ADD COLUMN IF NOT EXISTS status_changed_at timestamptz;
--;
ALTER TABLE merchants ADD CONSTRAINT merchants_status_known CHECK (status IN ('active', 'suspended'));
--;
-- When an API key was last used (to the minute: written at most once a minute per key, see http/auth.ts).
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS last_used_at timestamptz;
--;
-- A merchant admin disabled by another admin of the merchant: cannot log in, sessions ended; the row stays (audit).
ALTER TABLE users ADD COLUMN IF NOT EXISTS disabled_at timestamptz;
--;
-- An invited admin logs in with the one-time initial password and must choose a new one before anything else.
ALTER TABLE users ADD COLUMN IF NOT EXISTS password_change_required boolean NOT NULL DEFAULT false;
