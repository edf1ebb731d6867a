-- Payout providers (modules/payouts/providers/): each merchant's configuration of the providers that pay its
-- withdrawals, and the sandbox provider's own records.

-- One row per merchant and provider ('sandbox', 'wechat', 'alipay'). config_sealed holds the whole configuration,
-- secrets included (merchant private keys, the WeChat APIv3 key, the sandbox's callback secret), sealed with
-- src/crypto/sealed.ts under the additional data 'payout_provider:<merchantId>:<provider>'; config_masked is what the
-- API shows (identifiers and key fingerprints, never a key). A live provider is used only while enabled.
CREATE TABLE payout_provider_configs (
  merchant_id text NOT NULL REFERENCES merchants(id),
  provider text NOT NULL CHECK (provider IN ('sandbox', 'wechat', 'alipay')),
  enabled boolean NOT NULL DEFAULT false,
  config_sealed text NOT NULL,
  config_masked jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, provider)
);
--;
-- The sandbox provider's side: what the simulated bank accepted and what it decided. This is not Fenxiao's record of a
-- payout (that is the withdrawal and the ledger); it stands in for the books of a real provider, so that a query after
-- a crash is answered as a real provider would answer it. One row per merchant and outRef (the idempotency key):
-- params_hash is a hash of the transfer's parameters, so a resubmission with other parameters is refused.
-- outcome is decided at acceptance and becomes visible at decide_at; callbacks_left (1, or 2 for a duplicate) are
-- posted to notify_url from callback_at on, retried with backoff up to a limit (callback_attempts).
CREATE TABLE sandbox_transfers (
  merchant_id text NOT NULL,
  out_ref text NOT NULL,
  bill_no text NOT NULL,
  withdrawal_id text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  params_hash text NOT NULL,
  notify_url text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  reason text,
  accepted_at timestamptz NOT NULL,
  decide_at timestamptz NOT NULL,
  callback_at timestamptz NOT NULL,
  callbacks_left integer NOT NULL CHECK (callbacks_left >= 0),
  callback_attempts integer NOT NULL DEFAULT 0,
  callback_error text,
  PRIMARY KEY (merchant_id, out_ref)
);
--;
CREATE INDEX sandbox_transfers_callbacks ON sandbox_transfers (callback_at) WHERE callbacks_left > 0;
