-- Money out (SPEC §5): identities, payout accounts, money settings per program, withdrawals and their transitions, tax
-- withheld, and the outbox of domain events. Personal data is sealed (src/crypto/sealed.ts, AES-256-GCM): a *_sealed
-- column holds the ciphertext, a *_masked column what every view shows, an *_index column a blind index (HMAC) that
-- finds duplicates without the value.

-- A person's identity (实名), one per promoter, deployment-wide like promoters: it is the person, whatever the merchant.
CREATE TABLE promoter_identities (
  promoter_id text PRIMARY KEY REFERENCES promoters(id),
  legal_name_sealed text NOT NULL,
  legal_name_masked text NOT NULL,
  id_type text NOT NULL CHECK (id_type IN ('cn_resident_id', 'hk_macau_permit', 'taiwan_permit', 'passport', 'foreign_permanent_id')),
  id_number_sealed text NOT NULL,
  id_number_masked text NOT NULL,
  id_number_index text NOT NULL,
  phone_sealed text,
  phone_masked text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
--;
CREATE INDEX promoter_identities_id_number ON promoter_identities (id_number_index);
--;
-- Where a promoter is paid: a WeChat openid (for one appid), an Alipay user id or login id with the real name, or a bank
-- card. The full details are sealed as one JSON document; details_masked is what views show.
CREATE TABLE payout_accounts (
  id text PRIMARY KEY,
  promoter_id text NOT NULL REFERENCES promoters(id),
  kind text NOT NULL CHECK (kind IN ('wechat', 'alipay', 'bank')),
  details_sealed text NOT NULL,
  details_masked jsonb NOT NULL,
  account_index text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
  created_at timestamptz NOT NULL,
  removed_at timestamptz
);
--;
CREATE INDEX payout_accounts_promoter ON payout_accounts (promoter_id, created_at);
--;
CREATE INDEX payout_accounts_index ON payout_accounts (account_index);
--;
-- A program's money settings, one JSON document per area, each validated by its module's schema ({} = the defaults):
-- withdrawal (core/withdrawal/settings.ts), tax (method, rate, withholding agent), funding (prepaid or postpaid, the
-- low-budget alert), fee (the platform's service fee and when it is taken). circuit_open pauses the program's payouts
-- (the risk circuit breaker); a run skips its withdrawals while it is set.
CREATE TABLE program_money_settings (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  withdrawal jsonb NOT NULL DEFAULT '{}'::jsonb,
  tax jsonb NOT NULL DEFAULT '{}'::jsonb,
  funding jsonb NOT NULL DEFAULT '{}'::jsonb,
  fee jsonb NOT NULL DEFAULT '{}'::jsonb,
  circuit_open boolean NOT NULL DEFAULT false,
  circuit_reason text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, program_id),
  FOREIGN KEY (merchant_id, program_id) REFERENCES programs(merchant_id, id)
);
--;
-- A withdrawal (提现). Amounts are fixed when it is requested: amount (the gross), tax, fee and net = amount − tax − fee.
-- payee_masked is the payout account as shown at request time. provider_ref is the idempotency key sent to the
-- provider (WeChat out_bill_no, Alipay out_biz_no, the bank file's line reference): set once, never changed on retry.
CREATE TABLE withdrawals (
  merchant_id text NOT NULL,
  id text NOT NULL,
  program_id text NOT NULL,
  promoter_id text NOT NULL,
  payout_account_id text NOT NULL REFERENCES payout_accounts(id),
  payout_kind text NOT NULL,
  payee_masked jsonb NOT NULL,
  currency text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  tax_minor bigint NOT NULL CHECK (tax_minor >= 0),
  fee_minor bigint NOT NULL CHECK (fee_minor >= 0),
  net_minor bigint NOT NULL CHECK (net_minor > 0),
  tax_detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  state text NOT NULL CHECK (state IN ('requested', 'approved', 'awaiting_funds', 'paying', 'paid', 'rejected', 'failed')),
  state_reason text,
  approval text NOT NULL CHECK (approval IN ('auto', 'review')),
  requested_at timestamptz NOT NULL,
  requested_day date NOT NULL,
  review_due_at timestamptz NOT NULL,
  decided_by text,
  decided_at timestamptz,
  provider text,
  provider_ref text,
  provider_bill_no text,
  provider_state text,
  package_info text,
  expires_at timestamptz,
  payout_run_id text,
  finished_at timestamptz,
  updated_at timestamptz NOT NULL,
  CHECK (amount_minor = tax_minor + fee_minor + net_minor),
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, program_id) REFERENCES programs(merchant_id, id)
);
--;
CREATE INDEX withdrawals_state ON withdrawals (merchant_id, state, requested_at);
--;
CREATE INDEX withdrawals_promoter ON withdrawals (merchant_id, promoter_id, requested_at DESC);
--;
CREATE INDEX withdrawals_day ON withdrawals (merchant_id, program_id, promoter_id, requested_day);
--;
CREATE UNIQUE INDEX withdrawals_provider_ref ON withdrawals (merchant_id, provider_ref) WHERE provider_ref IS NOT NULL;
--;
-- Every state change of a withdrawal, in order: who, why, and the ledger transaction it posted (null when none).
CREATE TABLE withdrawal_transitions (
  merchant_id text NOT NULL,
  withdrawal_id text NOT NULL,
  seq integer NOT NULL,
  from_state text,
  event text NOT NULL,
  to_state text NOT NULL,
  actor text NOT NULL,
  reason text,
  ledger_seq bigint,
  at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, withdrawal_id, seq),
  FOREIGN KEY (merchant_id, withdrawal_id) REFERENCES withdrawals(merchant_id, id)
);
--;
-- Tax withheld (代扣个税), one row per withdrawal that withholds. The withholding agent is 'platform' (a marketplace)
-- or 'merchant:<merchantId>' (a brand's own deployment); cumulative figures are per agent and person across merchants
-- for the platform. state 'void' when the withdrawal was rejected or failed (the tax returned).
CREATE TABLE tax_withholdings (
  merchant_id text NOT NULL,
  withdrawal_id text NOT NULL,
  agent text NOT NULL,
  promoter_id text NOT NULL,
  method text NOT NULL,
  tax_year integer NOT NULL,
  tax_month text NOT NULL,
  income_minor bigint NOT NULL CHECK (income_minor >= 0),
  tax_minor bigint NOT NULL CHECK (tax_minor >= 0),
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'void')),
  created_at timestamptz NOT NULL,
  voided_at timestamptz,
  PRIMARY KEY (merchant_id, withdrawal_id),
  FOREIGN KEY (merchant_id, withdrawal_id) REFERENCES withdrawals(merchant_id, id)
);
--;
CREATE INDEX tax_withholdings_person ON tax_withholdings (agent, promoter_id, tax_year, tax_month);
--;
CREATE INDEX tax_withholdings_month ON tax_withholdings (agent, tax_month);
--;
-- One row per withholding agent and person, locked FOR UPDATE while a withdrawal's tax is computed, so that two
-- withdrawals of one person (even from two merchants under the platform agent) never read the same prior figures.
-- Lock order: the merchant's ledger head first, then this row (docs/ledger.md).
CREATE TABLE tax_people (
  agent text NOT NULL,
  promoter_id text NOT NULL,
  PRIMARY KEY (agent, promoter_id)
);
--;
-- The outbox of domain events, written in the transaction of the change it describes (modules/events/outbox.ts):
-- withdrawal state changed, payout result, commission created, period closed, plan published… Delivered by the
-- webhooks module; dispatched_at is set once every subscribed endpoint has its delivery row.
CREATE TABLE events (
  merchant_id text NOT NULL,
  id text NOT NULL,
  pos bigint GENERATED ALWAYS AS IDENTITY,
  type text NOT NULL,
  subject text NOT NULL,
  data jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  dispatched_at timestamptz,
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE INDEX events_undispatched ON events (pos) WHERE dispatched_at IS NULL;
--;
CREATE INDEX events_type ON events (merchant_id, type, occurred_at);
