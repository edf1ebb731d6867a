-- Failed logins and joins per account (the e-mail, lower-cased) and per client address (modules/auth/lockout.ts).
-- In the database rather than in memory so that a delay or lockout holds in every server process. A platform table,
-- like users: not per merchant. An operator unlocks an account with
--   DELETE FROM auth_failures WHERE scope = 'account' AND key = 'someone@example.com';
CREATE TABLE IF NOT EXISTS auth_failures (
  scope text NOT NULL CHECK (scope IN ('account', 'ip')),
  key text NOT NULL,
  failures integer NOT NULL CHECK (failures >= 0),
  last_failed_at timestamptz NOT NULL,
  locked_until timestamptz,
  PRIMARY KEY (scope, key)
);
--;
CREATE INDEX IF NOT EXISTS auth_failures_last_failed ON auth_failures (last_failed_at);
