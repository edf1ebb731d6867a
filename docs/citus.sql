-- Fenxiao on Citus: every tenant table distributed by merchant_id (all co-located), every global table a reference
-- table. Run it once with psql on the coordinator, after `fenxiao migrate` has created the schema there and before
-- the servers take traffic:
--
--   fenxiao migrate && psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f docs/citus.sql
--
-- A later migration that creates a table creates it as a plain table on the coordinator: run that table's line from
-- this file after migrating (ALTER TABLE and CREATE INDEX on tables already distributed are propagated by Citus).
-- packages/server/test/citus-layout.test.ts applies every migration to a fresh database, reads the catalog and fails
-- when this file and the schema disagree (on PGlite and PostgreSQL; no test runs the file on a Citus cluster).
--
-- The rules (kept by that test, repeated in docs/operations.md):
--  1. Every table of the schema is named here exactly once: create_reference_table('<t>') or
--     create_distributed_table('<t>', 'merchant_id', colocate_with => 'programs').
--  2. A tenant table (distributed) has a NOT NULL merchant_id column; its primary key, every unique constraint,
--     every unique index (partial and expression indexes included) and every exclusion constraint contain
--     merchant_id as a plain column. All tenant tables are co-located with `programs`, the first one distributed, so
--     a merchant's rows of every table live on one shard and a request that names the merchant runs on one node.
--  3. A foreign key of a tenant table either points to a reference table (any columns: the reference table is on
--     every node, so Citus checks it locally without merchant_id) or to another tenant table, and then it maps
--     merchant_id to merchant_id (the distribution column on both sides, so both rows are on the same shard).
--  4. A global table (reference) has foreign keys to reference tables only: Citus refuses a foreign key from a
--     reference table to a distributed table. A global table may carry a merchant_id column (users: a merchant
--     admin's merchant; public_codes: the merchant that owns the code) — it is data there, not a shard key.
--  5. A table is made a Citus table only after every table its foreign keys point to (reference tables first).
--
-- The global tables: merchants, people and their sessions (users, sessions, promoters: a promoter has one account
-- across the deployment), the registry of public codes (public_codes: a code typed or followed without naming the
-- merchant, /r/{code} and joining by invite code, must have one owner in the whole deployment; its primary key is the
-- code alone, so it must not be sharded by merchant), the counts of failed logins and joins per account and client
-- address (auth_failures: a lockout holds across the deployment), and the migration runner's own tables.
--
-- Notes for the operator:
--  - The ledger tables carry row triggers that refuse UPDATE and DELETE (append-only); Citus (11.0 or later) keeps
--    triggers on distributed tables only with citus.enable_unsafe_triggers, set below for this session and to be set
--    on every node for good (ALTER SYSTEM SET citus.enable_unsafe_triggers = on; SELECT pg_reload_conf(); and the
--    same through run_command_on_workers). The trigger function only raises an error, so it is safe on every shard.
--    Whether the statement-level TRUNCATE triggers fire for a distributed table is not checked here: also
--    REVOKE TRUNCATE ON ledger_transactions, ledger_postings FROM the application's role.
--  - Writes to a reference table (public_codes, on join and on a new link) are committed on every node in one
--    distributed transaction with the tenant row: slower than a shard write, and rare.
--  - Lookups that do not name the merchant and so ask every shard: an API key by its hash (api_keys_hash), a
--    promoter's own memberships across merchants (memberships_promoter), the purge of old idempotency keys by time.
--    Each is one indexed read per shard.
--  - The ingest routines (schema_routines) are plpgsql functions run on the coordinator; every statement in them
--    names the merchant and is routed to one shard. create_distributed_function(…, '$1', colocate_with => 'programs')
--    would run them on the shard's node instead; measure before doing so.

-- Global tables (reference tables), in foreign-key order.
SELECT create_reference_table('merchants');
SELECT create_reference_table('users');
SELECT create_reference_table('sessions');
SELECT create_reference_table('promoters');
SELECT create_reference_table('public_codes');
SELECT create_reference_table('auth_failures');
SELECT create_reference_table('schema_migrations');
SELECT create_reference_table('schema_routines');
-- A person's identity and payout accounts belong to the person, not to one merchant (like promoters); tax_people is
-- the per-agent, per-person lock row that serialises tax computation across merchants.
SELECT create_reference_table('promoter_identities');
SELECT create_reference_table('payout_accounts');
SELECT create_reference_table('tax_people');

-- Tenant tables (distributed by merchant_id, co-located with programs), in foreign-key order.
SET citus.enable_unsafe_triggers TO on;
SELECT create_distributed_table('programs', 'merchant_id');
SELECT create_distributed_table('api_keys', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('plan_versions', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('categories', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('products', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('memberships', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('links', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('customers', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('clicks', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('bindings', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('orders', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('order_lines', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('order_events', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('promoter_period_stats', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('commission_lines', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('ledger_heads', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('ledger_transactions', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('ledger_postings', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('account_balances', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('idempotency_keys', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('audit_log', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('period_closes', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('rank_history', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('contribution_events', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('program_money_settings', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('withdrawals', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('withdrawal_transitions', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('tax_withholdings', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('events', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('funding_topups', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('payout_runs', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('payout_items', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('promoter_risk_flags', 'merchant_id', colocate_with => 'programs');
-- Payout provider configuration per merchant, and the sandbox provider's own records (modules/payouts/providers/).
SELECT create_distributed_table('payout_provider_configs', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('sandbox_transfers', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('webhook_endpoints', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('webhook_deliveries', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('webhook_attempts', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('connectors', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('connector_deliveries', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('connector_orders', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('import_jobs', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('import_rejections', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('promoter_applications', 'merchant_id', colocate_with => 'programs');
-- Analytics summaries (migration 0025): per program and day, folded in the background from the program's own rows.
SELECT create_distributed_table('analytics_folds', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('analytics_days', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('analytics_promoter_days', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('analytics_promoter_months', 'merchant_id', colocate_with => 'programs');
SELECT create_distributed_table('analytics_product_days', 'merchant_id', colocate_with => 'programs');
RESET citus.enable_unsafe_triggers;
