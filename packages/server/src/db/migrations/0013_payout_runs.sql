-- Payout runs and funding (docs/payouts.md, "Payout runs" and "Funding and the platform fee").

-- A prepaid program's top-ups, recorded by the platform admin. The reference (the bank transfer's, the contract's) is
-- unique per merchant: recording it again with the same figures returns the first top-up, with others is refused.
CREATE TABLE funding_topups (
  merchant_id text NOT NULL,
  id text NOT NULL,
  program_id text NOT NULL,
  reference text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  note text,
  actor text NOT NULL,
  ledger_seq bigint NOT NULL,
  released integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, program_id) REFERENCES programs(merchant_id, id)
);
--;
CREATE UNIQUE INDEX funding_topups_reference ON funding_topups (merchant_id, reference);
--;
CREATE INDEX funding_topups_program ON funding_topups (merchant_id, program_id, created_at DESC);
--;
-- The low-budget alert is sent once each time the remaining budget falls below the threshold (reset by a top-up that
-- lifts it above again).
ALTER TABLE program_money_settings ADD COLUMN low_budget_alerted_at timestamptz;
--;
ALTER TABLE program_money_settings ADD COLUMN circuit_changed_at timestamptz;
--;
ALTER TABLE program_money_settings ADD COLUMN circuit_changed_by text;
--;
-- A payout run: a workflow of named steps (select → fund → submit → settle → finish → done) whose position is stored
-- here, so that any server process resumes it. lease_owner/lease_until: the process running a step holds the lease
-- and renews it with every unit of work; another takes over only once it has expired.
CREATE TABLE payout_runs (
  merchant_id text NOT NULL,
  id text NOT NULL,
  program_id text,
  provider text CHECK (provider IN ('sandbox', 'wechat', 'alipay', 'bank_file')),
  state text NOT NULL CHECK (state IN ('running', 'finished')),
  step text NOT NULL CHECK (step IN ('select', 'fund', 'submit', 'settle', 'finish', 'done')),
  batch_no text NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  next_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE INDEX payout_runs_due ON payout_runs (next_at) WHERE state = 'running';
--;
CREATE INDEX payout_runs_list ON payout_runs (merchant_id, created_at DESC);
--;
-- One withdrawal in a run. out_ref is the provider's idempotency key (the withdrawal's provider_ref), stored before
-- the provider is called. line_no numbers the bank file's lines. result keeps everything the provider returned.
CREATE TABLE payout_items (
  merchant_id text NOT NULL,
  run_id text NOT NULL,
  withdrawal_id text NOT NULL,
  program_id text NOT NULL,
  seq integer NOT NULL,
  provider text NOT NULL,
  out_ref text NOT NULL,
  amount_minor bigint NOT NULL,
  net_minor bigint NOT NULL,
  state text NOT NULL CHECK (state IN ('selected', 'skipped', 'awaiting_funds', 'submitting', 'processing', 'wait_user_confirm', 'paid', 'failed')),
  reason text,
  provider_ref text,
  provider_state text,
  result jsonb,
  attempts integer NOT NULL DEFAULT 0,
  next_query_at timestamptz,
  expires_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (merchant_id, run_id, withdrawal_id),
  FOREIGN KEY (merchant_id, run_id) REFERENCES payout_runs(merchant_id, id),
  FOREIGN KEY (merchant_id, withdrawal_id) REFERENCES withdrawals(merchant_id, id)
);
--;
CREATE UNIQUE INDEX payout_items_seq ON payout_items (merchant_id, run_id, seq);
--;
CREATE INDEX payout_items_state ON payout_items (merchant_id, run_id, state, seq);
--;
CREATE INDEX payout_items_out_ref ON payout_items (merchant_id, out_ref);
--;
CREATE INDEX payout_items_due ON payout_items (next_query_at) WHERE state IN ('submitting', 'processing', 'wait_user_confirm');
