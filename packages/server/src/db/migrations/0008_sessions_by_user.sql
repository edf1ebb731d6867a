-- A password change or reset ends the user's other sessions (modules/auth/service.ts): find them by user.
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
