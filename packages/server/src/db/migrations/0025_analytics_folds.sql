-- Analytics summaries folded in the background (docs/analytics.md, "How the figures are kept"; docs/performance.md,
-- "Analytics").
--
-- Every order and commission line carries the id of the transaction that last changed what the analytics read of it
-- (`analytics_xid`): set by the column default on insert, and by a row trigger on an update that changes a figure's
-- input (amount, refund, cancellation, reversal). The ingest pays a default and one index entry per row; it takes no
-- lock and waits for nothing of the analytics.
--
-- A fold (modules/analytics/fold.ts) recomputes from the rows, in one REPEATABLE READ transaction, every day of a
-- program that has a row changed by a transaction at or after the program's watermark, and moves the watermark to the
-- oldest transaction still running when its snapshot was taken (`pg_snapshot_xmin`): every transaction below it has
-- ended, so every change it made is in the snapshot the days were recomputed from, and any change the snapshot misses
-- belongs to a transaction at or above the new watermark. The order in which writers commit does not matter, and the
-- fold takes no lock a writer waits on (its only lock is on its own watermark rows).
--
-- An endpoint reads, in one statement, the watermark, the days that still have a row changed at or after it (the
-- tail), the summaries of the other days and the rows of the tail days: exact at every moment.

ALTER TABLE orders ADD COLUMN IF NOT EXISTS analytics_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
--;
ALTER TABLE commission_lines ADD COLUMN IF NOT EXISTS analytics_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
--;
CREATE INDEX IF NOT EXISTS orders_analytics_xid ON orders (merchant_id, analytics_xid);
--;
CREATE INDEX IF NOT EXISTS commission_lines_analytics_xid ON commission_lines (merchant_id, analytics_xid);
--;
-- An update that changes what a figure reads marks the row with its transaction. The order's lines change only with
-- their order (a refund updates both), so they carry no mark of their own.
CREATE OR REPLACE FUNCTION analytics_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.analytics_xid := pg_current_xact_id();
  RETURN NEW;
END
$$;
--;
DROP TRIGGER IF EXISTS orders_analytics_mark ON orders;
--;
CREATE TRIGGER orders_analytics_mark BEFORE UPDATE ON orders FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.refunded_minor IS DISTINCT FROM NEW.refunded_minor
        OR OLD.amount_minor IS DISTINCT FROM NEW.amount_minor OR OLD.promoter_id IS DISTINCT FROM NEW.promoter_id
        OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.paid_at IS DISTINCT FROM NEW.paid_at
        OR OLD.program_id IS DISTINCT FROM NEW.program_id)
  EXECUTE FUNCTION analytics_mark();
--;
DROP TRIGGER IF EXISTS commission_lines_analytics_mark ON commission_lines;
--;
CREATE TRIGGER commission_lines_analytics_mark BEFORE UPDATE ON commission_lines FOR EACH ROW
  WHEN (OLD.amount_minor IS DISTINCT FROM NEW.amount_minor OR OLD.reversed_minor IS DISTINCT FROM NEW.reversed_minor
        OR OLD.beneficiary_id IS DISTINCT FROM NEW.beneficiary_id OR OLD.order_id IS DISTINCT FROM NEW.order_id
        OR OLD.program_id IS DISTINCT FROM NEW.program_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION analytics_mark();
--;
-- Per program: the watermark (every change by a transaction below it is in the summaries) and the time zone the days
-- were folded in (a program whose time zone changed is read from its rows until it is folded again).
CREATE TABLE IF NOT EXISTS analytics_folds (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  folded_xid xid8 NOT NULL,
  timezone text NOT NULL,
  folded_at timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, program_id)
);
--;
-- Per program and local day: counted orders (attributed and not) with their net amounts, and the commission cost.
CREATE TABLE IF NOT EXISTS analytics_days (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  day date NOT NULL,
  orders bigint NOT NULL,
  sales_minor bigint NOT NULL,
  u_orders bigint NOT NULL,
  u_sales_minor bigint NOT NULL,
  commission_minor bigint NOT NULL,
  PRIMARY KEY (merchant_id, program_id, day)
);
--;
-- Per program, local day and promoter: as seller (counted orders, net sales) and as beneficiary (commission by the
-- cost rule of top promoters).
CREATE TABLE IF NOT EXISTS analytics_promoter_days (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  day date NOT NULL,
  promoter_id text NOT NULL,
  orders bigint NOT NULL,
  sales_minor bigint NOT NULL,
  commission_minor bigint NOT NULL,
  PRIMARY KEY (merchant_id, program_id, day, promoter_id)
);
--;
-- The same per calendar month (first day), for the months a period covers whole: top promoters reads one row per
-- seller and month instead of one per seller and day.
CREATE TABLE IF NOT EXISTS analytics_promoter_months (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  month date NOT NULL,
  promoter_id text NOT NULL,
  orders bigint NOT NULL,
  sales_minor bigint NOT NULL,
  commission_minor bigint NOT NULL,
  PRIMARY KEY (merchant_id, program_id, month, promoter_id)
);
--;
-- Per program, local day and product, over the lines of counted attributed orders.
CREATE TABLE IF NOT EXISTS analytics_product_days (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  day date NOT NULL,
  product_id text NOT NULL,
  quantity bigint NOT NULL,
  orders bigint NOT NULL,
  sales_minor bigint NOT NULL,
  line_name text,
  PRIMARY KEY (merchant_id, program_id, day, product_id)
);
