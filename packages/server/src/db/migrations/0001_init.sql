-- Fenxiao initial schema. Every tenant table carries merchant_id and every unique key includes it (Citus-ready).
-- Statements are separated by lines that hold only "--;".

CREATE TABLE merchants (
  id text PRIMARY KEY,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now()
);
--;
-- Accounts of people. A promoter has one account and one wallet across the deployment.
CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('platform_admin', 'merchant_admin', 'promoter')),
  merchant_id text REFERENCES merchants(id),
  promoter_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
--;
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
--;
CREATE TABLE promoters (
  id text PRIMARY KEY,
  user_id text REFERENCES users(id),
  name text NOT NULL,
  phone text,
  created_at timestamptz NOT NULL DEFAULT now()
);
--;
CREATE TABLE api_keys (
  merchant_id text NOT NULL REFERENCES merchants(id),
  id text NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL,
  key_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE INDEX api_keys_hash ON api_keys (key_hash);
--;
CREATE TABLE programs (
  merchant_id text NOT NULL REFERENCES merchants(id),
  id text NOT NULL,
  name text NOT NULL,
  currency text NOT NULL DEFAULT 'CNY',
  timezone text NOT NULL DEFAULT 'Asia/Shanghai',
  hold_days integer NOT NULL DEFAULT 7,
  click_window_days integer NOT NULL DEFAULT 7,
  binding_policy text NOT NULL DEFAULT 'sticky' CHECK (binding_policy IN ('sticky', 'last-click')),
  protection_days integer NOT NULL DEFAULT 365,
  rounding_mode text NOT NULL DEFAULT 'half-up' CHECK (rounding_mode IN ('half-up', 'half-even', 'down')),
  compliance_policy text NOT NULL DEFAULT 'standard' CHECK (compliance_policy IN ('standard', 'wechat')),
  period_kind text NOT NULL DEFAULT 'month',
  landing_url text NOT NULL,
  status text NOT NULL DEFAULT 'active',
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE TABLE plan_versions (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'published')),
  effective_from timestamptz,
  document jsonb NOT NULL,
  lint jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  PRIMARY KEY (merchant_id, program_id, version),
  FOREIGN KEY (merchant_id, program_id) REFERENCES programs(merchant_id, id)
);
--;
CREATE TABLE categories (
  merchant_id text NOT NULL REFERENCES merchants(id),
  id text NOT NULL,
  name text NOT NULL,
  parent_id text,
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE TABLE products (
  merchant_id text NOT NULL REFERENCES merchants(id),
  id text NOT NULL,
  name text NOT NULL,
  category_id text,
  price_minor bigint NOT NULL DEFAULT 0,
  landing_url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id)
);
--;
-- A promoter's membership in one program: inviter (level 1) and inviter's inviter (level 2) are fixed at join.
CREATE TABLE memberships (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  promoter_id text NOT NULL REFERENCES promoters(id),
  code text NOT NULL,
  inviter_id text,
  inviter2_id text,
  rank text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'left')),
  joined_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, program_id, promoter_id),
  UNIQUE (merchant_id, code),
  FOREIGN KEY (merchant_id, program_id) REFERENCES programs(merchant_id, id)
);
--;
CREATE INDEX memberships_code ON memberships (code);
--;
CREATE INDEX memberships_inviter ON memberships (merchant_id, program_id, inviter_id);
--;
CREATE INDEX memberships_inviter2 ON memberships (merchant_id, program_id, inviter2_id);
--;
CREATE INDEX memberships_promoter ON memberships (promoter_id);
--;
-- Short links: /r/{code}. Codes are random and globally unique in practice; the key includes merchant_id.
CREATE TABLE links (
  merchant_id text NOT NULL,
  code text NOT NULL,
  program_id text NOT NULL,
  promoter_id text NOT NULL,
  product_id text,
  target_url text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, code)
);
--;
CREATE INDEX links_code ON links (code);
--;
CREATE UNIQUE INDEX links_promoter_product ON links (merchant_id, program_id, promoter_id, coalesce(product_id, ''));
--;
CREATE TABLE customers (
  merchant_id text NOT NULL REFERENCES merchants(id),
  id text NOT NULL,
  customer_ref text NOT NULL,
  phone text,
  name text,
  referrer_customer_id text,
  registered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id),
  UNIQUE (merchant_id, customer_ref)
);
--;
CREATE TABLE clicks (
  merchant_id text NOT NULL,
  id text NOT NULL,
  token text NOT NULL,
  link_code text NOT NULL,
  program_id text NOT NULL,
  promoter_id text NOT NULL,
  product_id text,
  customer_id text,
  ip text,
  user_agent text,
  clicked_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, id),
  UNIQUE (merchant_id, token)
);
--;
CREATE INDEX clicks_customer ON clicks (merchant_id, customer_id, clicked_at DESC);
--;
CREATE INDEX clicks_promoter ON clicks (merchant_id, program_id, promoter_id, clicked_at);
--;
-- The customer's current binding per program; history is in audit_log.
CREATE TABLE bindings (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  customer_id text NOT NULL,
  promoter_id text NOT NULL,
  source text NOT NULL,
  bound_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, program_id, customer_id)
);
--;
CREATE INDEX bindings_promoter ON bindings (merchant_id, program_id, promoter_id);
--;
CREATE TABLE orders (
  merchant_id text NOT NULL,
  id text NOT NULL,
  program_id text NOT NULL,
  order_ref text NOT NULL,
  customer_id text NOT NULL,
  channel text NOT NULL,
  currency text NOT NULL,
  status text NOT NULL CHECK (status IN ('paid', 'completed', 'refunded', 'cancelled')),
  amount_minor bigint NOT NULL,
  refunded_minor bigint NOT NULL DEFAULT 0,
  shipping_minor bigint NOT NULL DEFAULT 0,
  promoter_id text,
  attribution_path text,
  attribution jsonb NOT NULL,
  is_first_order boolean NOT NULL,
  plan_version integer,
  period_key text NOT NULL,
  paid_at timestamptz NOT NULL,
  completed_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id),
  UNIQUE (merchant_id, order_ref)
);
--;
CREATE INDEX orders_customer ON orders (merchant_id, customer_id, paid_at);
--;
CREATE INDEX orders_promoter ON orders (merchant_id, program_id, promoter_id, paid_at);
--;
CREATE INDEX orders_paid ON orders (merchant_id, paid_at DESC);
--;
CREATE TABLE order_lines (
  merchant_id text NOT NULL,
  order_id text NOT NULL,
  line_no integer NOT NULL,
  product_id text NOT NULL,
  product_name text,
  category_id text,
  quantity integer NOT NULL,
  net_amount_minor bigint NOT NULL,
  refunded_minor bigint NOT NULL DEFAULT 0,
  margin_minor bigint,
  PRIMARY KEY (merchant_id, order_id, line_no)
);
--;
CREATE TABLE order_events (
  merchant_id text NOT NULL,
  id text NOT NULL,
  order_id text NOT NULL,
  type text NOT NULL,
  event_ref text,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE INDEX order_events_order ON order_events (merchant_id, order_id, created_at);
--;
CREATE UNIQUE INDEX order_events_ref ON order_events (merchant_id, order_id, type, event_ref) WHERE event_ref IS NOT NULL;
--;
-- Net sales per promoter and period (tiers, qualification, period close) kept incrementally with each order event.
CREATE TABLE promoter_period_stats (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  promoter_id text NOT NULL,
  period_key text NOT NULL,
  sales_minor bigint NOT NULL DEFAULT 0,
  refunded_minor bigint NOT NULL DEFAULT 0,
  orders integer NOT NULL DEFAULT 0,
  PRIMARY KEY (merchant_id, program_id, promoter_id, period_key)
);
--;
CREATE TABLE commission_lines (
  merchant_id text NOT NULL,
  id text NOT NULL,
  program_id text NOT NULL,
  order_id text,
  line_no integer,
  beneficiary_id text NOT NULL,
  level smallint NOT NULL CHECK (level BETWEEN 0 AND 2),
  kind text NOT NULL,
  base_minor bigint NOT NULL,
  rate_bps integer,
  amount_minor bigint NOT NULL,
  reversed_minor bigint NOT NULL DEFAULT 0,
  currency text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'available', 'held', 'reversed')),
  attribution_path text,
  plan_version integer,
  period_key text NOT NULL,
  trace jsonb NOT NULL,
  explanation_zh text NOT NULL,
  explanation_en text NOT NULL,
  available_at timestamptz,
  released_at timestamptz,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE INDEX commission_lines_order ON commission_lines (merchant_id, order_id);
--;
CREATE INDEX commission_lines_beneficiary ON commission_lines (merchant_id, beneficiary_id, created_at DESC);
--;
CREATE INDEX commission_lines_due ON commission_lines (merchant_id, available_at) WHERE state = 'pending';
--;
-- The ledger: append-only. Each transaction's postings sum to zero per currency; transactions form a hash chain per merchant.
CREATE TABLE ledger_heads (
  merchant_id text PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL
);
--;
CREATE TABLE ledger_transactions (
  merchant_id text NOT NULL,
  seq bigint NOT NULL,
  kind text NOT NULL,
  cause_ref text NOT NULL,
  memo text NOT NULL,
  created_at timestamptz NOT NULL,
  created_at_text text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (merchant_id, seq),
  UNIQUE (merchant_id, cause_ref)
);
--;
CREATE TABLE ledger_postings (
  merchant_id text NOT NULL,
  tx_seq bigint NOT NULL,
  idx smallint NOT NULL,
  account text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
  currency text NOT NULL,
  PRIMARY KEY (merchant_id, tx_seq, idx)
);
--;
CREATE INDEX ledger_postings_account ON ledger_postings (merchant_id, account, tx_seq);
--;
CREATE TABLE account_balances (
  merchant_id text NOT NULL,
  account text NOT NULL,
  currency text NOT NULL,
  balance_minor bigint NOT NULL,
  PRIMARY KEY (merchant_id, account, currency)
);
--;
CREATE FUNCTION fenxiao_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger tables are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$;
--;
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION fenxiao_append_only();
--;
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
  FOR EACH ROW EXECUTE FUNCTION fenxiao_append_only();
--;
CREATE TABLE idempotency_keys (
  merchant_id text NOT NULL,
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, scope, key)
);
--;
CREATE TABLE audit_log (
  merchant_id text NOT NULL,
  id text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  subject text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE INDEX audit_log_subject ON audit_log (merchant_id, subject, created_at);
