-- Outgoing webhooks (Standard Webhooks v1, modules/webhooks): the merchant's endpoints, one delivery per event and
-- subscribed endpoint (created by the dispatcher when it marks the event dispatched), and every attempt of a delivery.
CREATE TABLE webhook_endpoints (
  merchant_id text NOT NULL REFERENCES merchants(id),
  id text NOT NULL,
  url text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- event types, or {'*'} for all
  events text[] NOT NULL,
  -- the signing secret (whsec_…), sealed; during a rotation's overlap the previous one is sealed beside it
  secret_sealed text NOT NULL,
  previous_secret_sealed text,
  previous_secret_until timestamptz,
  disabled_at timestamptz,
  disabled_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, id)
);
--;
-- One event for one endpoint, under the event's id however often it is attempted. status: pending (waiting for
-- next_attempt_at, or leased by a sender until lease_until), succeeded, failed (the schedule ran out, or 410).
CREATE TABLE webhook_deliveries (
  merchant_id text NOT NULL,
  id text NOT NULL,
  endpoint_id text NOT NULL,
  event_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  last_status_code int,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, id),
  UNIQUE (merchant_id, endpoint_id, event_id),
  FOREIGN KEY (merchant_id, endpoint_id) REFERENCES webhook_endpoints (merchant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (merchant_id, event_id) REFERENCES events (merchant_id, id)
);
--;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
--;
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (merchant_id, endpoint_id, created_at DESC);
--;
CREATE TABLE webhook_attempts (
  merchant_id text NOT NULL,
  delivery_id text NOT NULL,
  attempt int NOT NULL,
  endpoint_id text NOT NULL,
  started_at timestamptz NOT NULL,
  latency_ms int NOT NULL,
  status_code int,
  -- at most 1 KB of the response body
  response_excerpt text,
  error text,
  PRIMARY KEY (merchant_id, delivery_id, attempt),
  FOREIGN KEY (merchant_id, delivery_id) REFERENCES webhook_deliveries (merchant_id, id) ON DELETE CASCADE
);
