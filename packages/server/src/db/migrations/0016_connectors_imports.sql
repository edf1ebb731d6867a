-- Shop connectors (modules/connectors): a merchant's Shopify, WooCommerce or Youzan shop sends its own webhooks to
-- /v1/connectors/<id>/webhook; the connector verifies the platform's signature with the sealed secret and turns each
-- delivery into Fenxiao order events. CSV imports (modules/imports): a job per uploaded file, its progress and the
-- rows it refused.

CREATE TABLE connectors (
  merchant_id text NOT NULL REFERENCES merchants(id),
  id text NOT NULL,
  program_id text NOT NULL,
  platform text NOT NULL CHECK (platform IN ('shopify', 'woocommerce', 'youzan')),
  name text NOT NULL,
  -- the platform's signing secret, sealed (crypto/sealed.ts) under `connector:secret:<id>`
  secret_sealed text NOT NULL,
  -- the last four characters of the secret, for the console to tell secrets apart
  secret_hint text NOT NULL,
  order_ref_prefix text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at timestamptz NOT NULL,
  disabled_at timestamptz,
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, program_id) REFERENCES programs(merchant_id, id)
);
--;
CREATE UNIQUE INDEX connectors_id ON connectors (id, merchant_id);
--;
-- One row per webhook delivery received: what it was, what became of it and why.
CREATE TABLE connector_deliveries (
  merchant_id text NOT NULL,
  id text NOT NULL,
  connector_id text NOT NULL,
  -- the platform's delivery id (X-Shopify-Webhook-Id, X-WC-Webhook-Delivery-ID) or the body's SHA-256
  delivery_ref text NOT NULL,
  topic text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('applied', 'ignored', 'duplicate', 'rejected', 'failed')),
  status_code int NOT NULL,
  error_code text,
  error text,
  order_ref text,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, connector_id) REFERENCES connectors(merchant_id, id)
);
--;
CREATE INDEX connector_deliveries_recent ON connector_deliveries (merchant_id, connector_id, received_at DESC, id DESC);
--;
CREATE INDEX connector_deliveries_ref ON connector_deliveries (merchant_id, connector_id, delivery_ref);
--;
-- The platform's line ids of an order a connector ingested, in line order (line_no = position + 1): refunds name the
-- platform's line, and Fenxiao refunds by line number.
CREATE TABLE connector_orders (
  merchant_id text NOT NULL,
  connector_id text NOT NULL,
  platform_order_id text NOT NULL,
  order_ref text NOT NULL,
  line_ids jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, connector_id, platform_order_id),
  FOREIGN KEY (merchant_id, connector_id) REFERENCES connectors(merchant_id, id)
);
--;
-- A CSV import of paid orders. Progress is written after every chunk, so a poll (or a restart) sees how far it got.
CREATE TABLE import_jobs (
  merchant_id text NOT NULL REFERENCES merchants(id),
  id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('orders')),
  source text NOT NULL,
  status text NOT NULL CHECK (status IN ('receiving', 'running', 'succeeded', 'failed', 'interrupted')),
  bytes_total bigint,
  bytes_read bigint NOT NULL DEFAULT 0,
  rows_read bigint NOT NULL DEFAULT 0,
  orders_imported bigint NOT NULL DEFAULT 0,
  orders_skipped bigint NOT NULL DEFAULT 0,
  rows_rejected bigint NOT NULL DEFAULT 0,
  error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE UNIQUE INDEX import_jobs_id ON import_jobs (id, merchant_id);
--;
CREATE INDEX import_jobs_recent ON import_jobs (merchant_id, created_at DESC, id DESC);
--;
-- A refused row of an import: its row number in the file (the header is row 1), the order it belonged to, and why.
CREATE TABLE import_rejections (
  merchant_id text NOT NULL,
  job_id text NOT NULL,
  row_no bigint NOT NULL,
  order_ref text,
  field text,
  reason text NOT NULL,
  PRIMARY KEY (merchant_id, job_id, row_no),
  FOREIGN KEY (merchant_id, job_id) REFERENCES import_jobs(merchant_id, id)
);
