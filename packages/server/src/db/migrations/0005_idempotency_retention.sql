-- Stored Idempotency-Keys are forgotten after their retention (jobs/idempotency.ts): find the old ones by time.
-- (A BRIN index would cost less per insert, but the purge's deletes leave its ranges claiming times they no longer
-- hold, so it would read ever more of the table.)
-- IF NOT EXISTS: on a large table an operator may build it first, without blocking writes:
--   CREATE INDEX CONCURRENTLY idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX IF NOT EXISTS idempotency_keys_created ON idempotency_keys (created_at);
