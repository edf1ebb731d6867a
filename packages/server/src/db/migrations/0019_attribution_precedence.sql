-- A program's attribution precedence (SPEC §3): code-first (code > click > binding > referral) or binding-first (an active
-- binding keeps the order during protection even when the customer used another promoter's code or link).
ALTER TABLE programs ADD COLUMN IF NOT EXISTS attribution_precedence text NOT NULL DEFAULT 'code-first'
  CHECK (attribution_precedence IN ('code-first', 'binding-first'));
