-- Period close (P5, P7, P12–P14, P16), rank history, contribution events.
ALTER TABLE commission_lines ADD COLUMN adjustment_key text;
--;
ALTER TABLE commission_lines ADD COLUMN refund_base_minor bigint;
--;
CREATE UNIQUE INDEX commission_lines_adjustment ON commission_lines (merchant_id, program_id, adjustment_key) WHERE adjustment_key IS NOT NULL;
--;
CREATE INDEX commission_lines_period ON commission_lines (merchant_id, program_id, period_key);
--;
CREATE INDEX orders_period ON orders (merchant_id, program_id, period_key);
--;
ALTER TABLE programs ADD COLUMN close_grace_days integer NOT NULL DEFAULT 3;
--;
CREATE TABLE period_closes (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  period_key text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  plan_version integer,
  closed_at timestamptz NOT NULL,
  summary jsonb NOT NULL,
  PRIMARY KEY (merchant_id, program_id, period_key)
);
--;
CREATE TABLE rank_history (
  merchant_id text NOT NULL,
  id text NOT NULL,
  program_id text NOT NULL,
  promoter_id text NOT NULL,
  from_rank text,
  to_rank text NOT NULL,
  reason jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE TABLE contribution_events (
  merchant_id text NOT NULL,
  id text NOT NULL,
  program_id text NOT NULL,
  promoter_id text NOT NULL,
  type text NOT NULL,
  count integer NOT NULL CHECK (count > 0),
  event_ref text,
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE UNIQUE INDEX contribution_events_ref ON contribution_events (merchant_id, program_id, event_ref) WHERE event_ref IS NOT NULL;
--;
CREATE INDEX contribution_events_period ON contribution_events (merchant_id, program_id, occurred_at);
--;
-- A period close can post one transaction with more legs than a smallint counts.
ALTER TABLE ledger_postings ALTER COLUMN idx TYPE integer;
