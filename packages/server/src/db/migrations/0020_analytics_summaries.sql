-- Daily summaries for the analytics endpoints (docs/analytics.md, "How it is computed"; docs/performance.md, "Analytics").
--
-- The endpoints used to compute every figure from the order rows at each request, so a period cost in proportion to its
-- orders (82,000 for 30 days of the benchmark, 1,000,000 for a year: p95 0.9–19 s). These tables hold the same figures
-- per program and calendar day of the program's time zone, and the endpoints sum at most 366 days of them.
--
-- They are kept by statement-level triggers on the tables the ingest writes (orders, order_lines, commission_lines,
-- clicks) and on memberships and programs, so they change in the same transaction as the rows they summarise: never
-- stale, never counted twice, and a rolled-back write rolls them back too. A refund, a cancellation or a reversal updates
-- its order's or line's row, and the trigger moves the row's contribution from what it was to what it is now (old row
-- out, new row in), on the day of the order's payment as the definitions say. `analytics_rebuild(merchant, program)`
-- recomputes a program's summaries from history (the backfill below, `fenxiao analytics rebuild`, and a change of a
-- program's time zone, which moves every day).
--
-- Distinct counts (referred customers, participating promoters, funnel customers) do not add up over days. They are
-- kept exactly with the "previous occurrence" rule: the distinct entities of a period [a, b] are the (entity, day)
-- presences on a day d in [a, b] whose previous presence of the same entity is before a, i.e. whose gap d − prev > d − a.
-- analytics_presence holds the days on which each entity is present; analytics_hist holds, per day, h[k + 1] = the
-- number of presences of that day whose gap is more than k (k = 0 … 365; no previous presence, or one more than 365 days
-- before, counts as gap 366). A period's distinct count is then Σ over its days of h[d − a + 1]: one row per day (and
-- slot) instead of one per order.
--
-- Hot rows: all orders of a day would update the same summary row, and concurrent ingest transactions would wait for
-- each other's commit on it. Rows are therefore split into 8 slots by a hash of the order (or click, or entity); a read
-- sums the slots (366 × 8 rows for a year).

-- Per program, local day, order channel ('' for clicks and commission without an order) and slot.
CREATE TABLE IF NOT EXISTS analytics_days (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  day date NOT NULL,
  channel text NOT NULL,
  slot smallint NOT NULL,
  orders bigint NOT NULL DEFAULT 0,
  sales_minor bigint NOT NULL DEFAULT 0,
  click_orders bigint NOT NULL DEFAULT 0,
  u_orders bigint NOT NULL DEFAULT 0,
  u_sales_minor bigint NOT NULL DEFAULT 0,
  commission_minor bigint NOT NULL DEFAULT 0,
  clicks bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (merchant_id, program_id, day, channel, slot)
);
--;
-- Per program, promoter and local day: as seller (orders, net sales of counted orders, by paid day), as beneficiary
-- (commission by the cost rule: the order's paid day, or the line's creation day without an order) and earnings (the
-- line's creation day, for the portal).
CREATE TABLE IF NOT EXISTS analytics_promoter_days (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  promoter_id text NOT NULL,
  day date NOT NULL,
  orders bigint NOT NULL DEFAULT 0,
  sales_minor bigint NOT NULL DEFAULT 0,
  commission_minor bigint NOT NULL DEFAULT 0,
  earned_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (merchant_id, program_id, promoter_id, day)
);
--;
-- Sellers by period: top promoters reads a period's rows of all promoters.
CREATE INDEX IF NOT EXISTS analytics_promoter_days_day ON analytics_promoter_days (merchant_id, program_id, day)
  INCLUDE (promoter_id, orders, sales_minor, commission_minor);
--;
-- Per program, local day and product, over the lines of counted attributed orders.
CREATE TABLE IF NOT EXISTS analytics_product_days (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  day date NOT NULL,
  product_id text NOT NULL,
  quantity bigint NOT NULL DEFAULT 0,
  orders bigint NOT NULL DEFAULT 0,
  sales_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (merchant_id, program_id, day, product_id)
);
--;
-- The days on which an entity is present. Kinds: 'pair' (seller and customer of a counted attributed order),
-- 'customer' (its customer), 'channel_customer' (scope: the order's channel), 'seller' (its seller, while an active member of
-- the program), 'click_customer' (the customer a click identified), 'reach' (a customer with a click or a counted
-- attributed order that day). n: how many rows make the presence.
CREATE TABLE IF NOT EXISTS analytics_presence (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  kind text NOT NULL,
  scope text NOT NULL,
  entity text NOT NULL,
  day date NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (merchant_id, program_id, kind, scope, entity, day)
);
--;
CREATE TABLE IF NOT EXISTS analytics_hist (
  merchant_id text NOT NULL,
  program_id text NOT NULL,
  kind text NOT NULL,
  scope text NOT NULL,
  day date NOT NULL,
  slot smallint NOT NULL,
  h integer[] NOT NULL,
  PRIMARY KEY (merchant_id, program_id, kind, scope, day, slot)
);
--;
-- Top promoters' distinct customers: a seller's orders of a period from the index alone. It has the key of
-- orders_promoter (0001) and replaces it, so an order still writes one index entry for it.
CREATE INDEX IF NOT EXISTS orders_promoter_customers ON orders (merchant_id, program_id, promoter_id, paid_at)
  INCLUDE (customer_id, status);
--;
DROP INDEX IF EXISTS orders_promoter;
--;
-- Active promoters (active now, joined before the period's end) counted from an index alone; the same index finds the
-- active members who joined after a period, whose sellers participation subtracts.
CREATE INDEX IF NOT EXISTS memberships_active_joined ON memberships (merchant_id, program_id, joined_at) INCLUDE (promoter_id)
  WHERE status = 'active';
--;
DO $$ BEGIN
  CREATE TYPE analytics_order_fact AS (
    merchant_id text, program_id text, id text, customer_id text, channel text, counted boolean, promoter_id text,
    by_click boolean, net bigint, paid_at timestamptz);
  CREATE TYPE analytics_commission_fact AS (
    merchant_id text, line_program_id text, order_program_id text, id text, order_id text, channel text, paid_at timestamptz,
    beneficiary_id text, net bigint, created_at timestamptz);
  CREATE TYPE analytics_line_fact AS (
    merchant_id text, program_id text, order_id text, product_id text, quantity bigint, net bigint, first boolean,
    paid_at timestamptz);
  CREATE TYPE analytics_presence_delta AS (
    merchant_id text, program_id text, kind text, scope text, entity text, day date, n bigint);
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
--;
-- Elementwise sum of two histograms.
CREATE OR REPLACE FUNCTION analytics_add(a integer[], b integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;
--;
CREATE OR REPLACE FUNCTION analytics_day(at timestamptz, tz text) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT (at AT TIME ZONE tz)::date
$$;
--;
CREATE OR REPLACE FUNCTION analytics_slot(k text) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
  SELECT (hashtext(k) & 7)::smallint
$$;
--;
-- Presence changes, then the histograms of the entities whose presence on a day appeared or vanished: their
-- occurrences (day, gap to the previous day) before and after, the difference added to the histograms.
CREATE OR REPLACE FUNCTION analytics_presence_apply(d analytics_presence_delta[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  -- Two transactions changing the same entity would both read its days before the other's change: one at a time per
  -- entity (in a fixed order), and the statement below reads after the lock, so it sees the other's committed days.
  -- A large change (a bulk load, a rebuild) takes its programs whole instead of one lock per entity, which would
  -- overflow the lock table; small changes share the program's lock.
  IF cardinality(d) > 256 THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(k, 20))
    FROM (SELECT DISTINCT concat_ws(' ', merchant_id, program_id) AS k FROM unnest(d)) x ORDER BY k;
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended(k, 20))
    FROM (SELECT DISTINCT concat_ws(' ', merchant_id, program_id) AS k FROM unnest(d)) x ORDER BY k;
    PERFORM pg_advisory_xact_lock(hashtextextended(k, 21))
    FROM (SELECT DISTINCT concat_ws(' ', merchant_id, program_id, kind, scope, entity) AS k FROM unnest(d)) x ORDER BY k;
  END IF;
  WITH dl AS (
    SELECT merchant_id, program_id, kind, scope, entity, day, sum(n)::bigint AS n FROM unnest(d)
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0
  ), cur AS (
    SELECT dl.*, coalesce(p.n, 0) AS old_n
    FROM dl LEFT JOIN analytics_presence p USING (merchant_id, program_id, kind, scope, entity, day)
  ), crossing AS (
    SELECT DISTINCT merchant_id, program_id, kind, scope, entity FROM cur WHERE (old_n > 0) <> (old_n + n > 0)
  ), old_days AS (
    SELECT p.merchant_id, p.program_id, p.kind, p.scope, p.entity, p.day
    FROM analytics_presence p JOIN crossing c USING (merchant_id, program_id, kind, scope, entity) WHERE p.n > 0
  ), new_days AS (
    -- An equi-join (hashable), so that a statement of many rows stays linear.
    SELECT o.* FROM old_days o LEFT JOIN cur c USING (merchant_id, program_id, kind, scope, entity, day)
    WHERE c.n IS NULL OR c.old_n + c.n > 0
    UNION ALL
    SELECT c.merchant_id, c.program_id, c.kind, c.scope, c.entity, c.day FROM cur c WHERE c.old_n <= 0 AND c.old_n + c.n > 0
  ), occ AS (
    SELECT merchant_id, program_id, kind, scope, entity, day, sign,
           least(coalesce(day - lag(day) OVER (PARTITION BY sign, merchant_id, program_id, kind, scope, entity ORDER BY day), 366), 366) AS gap
    FROM (SELECT *, -1 AS sign FROM old_days UNION ALL SELECT *, 1 FROM new_days) x
  ), agg AS (
    SELECT merchant_id, program_id, kind, scope, day, analytics_slot(entity) AS slot, gap, sum(sign) AS c
    FROM occ GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(sign) <> 0
  ), hkeys AS (
    SELECT DISTINCT merchant_id, program_id, kind, scope, day, slot FROM agg
  ), arr AS (
    SELECT merchant_id, program_id, kind, scope, day, slot, array_agg(s::integer ORDER BY i) AS h
    FROM (SELECT k.*, i, sum(coalesce(a.c, 0)) OVER (PARTITION BY k.merchant_id, k.program_id, k.kind, k.scope, k.day, k.slot ORDER BY i DESC) AS s
          FROM hkeys k CROSS JOIN generate_series(1, 366) i
          LEFT JOIN agg a ON (a.merchant_id, a.program_id, a.kind, a.scope, a.day, a.slot, a.gap)
                           = (k.merchant_id, k.program_id, k.kind, k.scope, k.day, k.slot, i)) x
    GROUP BY 1, 2, 3, 4, 5, 6
  ), up_presence AS (
    INSERT INTO analytics_presence AS p (merchant_id, program_id, kind, scope, entity, day, n)
    SELECT merchant_id, program_id, kind, scope, entity, day, n FROM dl
    ORDER BY merchant_id, program_id, kind, scope, entity, day
    ON CONFLICT (merchant_id, program_id, kind, scope, entity, day) DO UPDATE SET n = p.n + EXCLUDED.n
  )
  INSERT INTO analytics_hist AS t (merchant_id, program_id, kind, scope, day, slot, h)
  SELECT * FROM arr ORDER BY merchant_id, program_id, kind, scope, day, slot
  ON CONFLICT (merchant_id, program_id, kind, scope, day, slot) DO UPDATE SET h = analytics_add(t.h, EXCLUDED.h);
  DELETE FROM analytics_presence p USING (SELECT DISTINCT merchant_id, program_id, kind, scope, entity, day FROM unnest(d)) x
  WHERE (p.merchant_id, p.program_id, p.kind, p.scope, p.entity, p.day) = (x.merchant_id, x.program_id, x.kind, x.scope, x.entity, x.day)
    AND p.n <= 0;
END
$fn$;
--;
-- Orders in (sign 1) or out (sign −1): day sums, seller days, presences.
CREATE OR REPLACE FUNCTION analytics_orders_apply(f analytics_order_fact[], sign integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO analytics_days AS t (merchant_id, program_id, day, channel, slot, orders, sales_minor, click_orders, u_orders, u_sales_minor)
  SELECT o.merchant_id, o.program_id, analytics_day(o.paid_at, g.timezone), o.channel, analytics_slot(o.id),
         sign * count(*) FILTER (WHERE o.counted AND o.promoter_id IS NOT NULL),
         sign * coalesce(sum(o.net) FILTER (WHERE o.counted AND o.promoter_id IS NOT NULL), 0),
         sign * count(*) FILTER (WHERE o.counted AND o.promoter_id IS NOT NULL AND o.by_click),
         sign * count(*) FILTER (WHERE o.counted AND o.promoter_id IS NULL),
         sign * coalesce(sum(o.net) FILTER (WHERE o.counted AND o.promoter_id IS NULL), 0)
  FROM unnest(f) o JOIN programs g ON g.merchant_id = o.merchant_id AND g.id = o.program_id
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (merchant_id, program_id, day, channel, slot) DO UPDATE SET
    orders = t.orders + EXCLUDED.orders, sales_minor = t.sales_minor + EXCLUDED.sales_minor,
    click_orders = t.click_orders + EXCLUDED.click_orders, u_orders = t.u_orders + EXCLUDED.u_orders,
    u_sales_minor = t.u_sales_minor + EXCLUDED.u_sales_minor;
  INSERT INTO analytics_promoter_days AS t (merchant_id, program_id, promoter_id, day, orders, sales_minor)
  SELECT o.merchant_id, o.program_id, o.promoter_id, analytics_day(o.paid_at, g.timezone), sign * count(*), sign * sum(o.net)
  FROM unnest(f) o JOIN programs g ON g.merchant_id = o.merchant_id AND g.id = o.program_id
  WHERE o.counted AND o.promoter_id IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (merchant_id, program_id, promoter_id, day) DO UPDATE SET
    orders = t.orders + EXCLUDED.orders, sales_minor = t.sales_minor + EXCLUDED.sales_minor;
  PERFORM analytics_presence_apply(ARRAY(
    SELECT ROW(o.merchant_id, o.program_id, k.kind, k.scope, k.entity, analytics_day(o.paid_at, g.timezone), sign)::analytics_presence_delta
    FROM unnest(f) o JOIN programs g ON g.merchant_id = o.merchant_id AND g.id = o.program_id
    CROSS JOIN LATERAL (VALUES ('pair', '', o.promoter_id || ' ' || o.customer_id), ('customer', '', o.customer_id),
                               ('channel_customer', o.channel, o.customer_id), ('reach', '', o.customer_id),
                               ('seller', '', CASE WHEN EXISTS (SELECT 1 FROM memberships m WHERE m.merchant_id = o.merchant_id
                                 AND m.program_id = o.program_id AND m.promoter_id = o.promoter_id AND m.status = 'active')
                                 THEN o.promoter_id END)) k(kind, scope, entity)
    WHERE o.counted AND o.promoter_id IS NOT NULL AND k.entity IS NOT NULL));
END
$fn$;
--;
-- Commission lines in or out: the program's cost (order's paid day and channel, or creation day without an order), the
-- beneficiary's commission by the same rule and earnings by creation day.
CREATE OR REPLACE FUNCTION analytics_commission_apply(f analytics_commission_fact[], sign integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO analytics_days AS t (merchant_id, program_id, day, channel, slot, commission_minor)
  SELECT c.merchant_id, coalesce(c.order_program_id, c.line_program_id),
         analytics_day(coalesce(c.paid_at, c.created_at), g.timezone), coalesce(c.channel, ''), analytics_slot(coalesce(c.order_id, c.id)),
         sign * sum(c.net)
  FROM unnest(f) c JOIN programs g ON g.merchant_id = c.merchant_id AND g.id = coalesce(c.order_program_id, c.line_program_id)
  WHERE c.order_id IS NULL OR c.order_program_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (merchant_id, program_id, day, channel, slot) DO UPDATE SET commission_minor = t.commission_minor + EXCLUDED.commission_minor;
  INSERT INTO analytics_promoter_days AS t (merchant_id, program_id, promoter_id, day, commission_minor, earned_minor)
  SELECT merchant_id, program_id, promoter_id, day, sum(cost), sum(earned) FROM (
    SELECT c.merchant_id, c.line_program_id AS program_id, c.beneficiary_id AS promoter_id,
           analytics_day(coalesce(c.paid_at, c.created_at), g.timezone) AS day, sign * c.net AS cost, 0 AS earned
    FROM unnest(f) c JOIN programs g ON g.merchant_id = c.merchant_id AND g.id = c.line_program_id
    WHERE c.order_id IS NULL OR c.paid_at IS NOT NULL
    UNION ALL
    SELECT c.merchant_id, c.line_program_id, c.beneficiary_id, analytics_day(c.created_at, g.timezone), 0, sign * c.net
    FROM unnest(f) c JOIN programs g ON g.merchant_id = c.merchant_id AND g.id = c.line_program_id
  ) x GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (merchant_id, program_id, promoter_id, day) DO UPDATE SET
    commission_minor = t.commission_minor + EXCLUDED.commission_minor, earned_minor = t.earned_minor + EXCLUDED.earned_minor;
END
$fn$;
--;
-- Order lines in or out: product days, for lines of counted attributed orders (`first`: the line that counts its order
-- for its product).
CREATE OR REPLACE FUNCTION analytics_lines_apply(f analytics_line_fact[], sign integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO analytics_product_days AS t (merchant_id, program_id, day, product_id, quantity, orders, sales_minor)
  SELECT l.merchant_id, l.program_id, analytics_day(l.paid_at, g.timezone), l.product_id,
         sign * sum(l.quantity), sign * count(*) FILTER (WHERE l.first), sign * sum(l.net)
  FROM unnest(f) l JOIN programs g ON g.merchant_id = l.merchant_id AND g.id = l.program_id
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (merchant_id, program_id, day, product_id) DO UPDATE SET
    quantity = t.quantity + EXCLUDED.quantity, orders = t.orders + EXCLUDED.orders, sales_minor = t.sales_minor + EXCLUDED.sales_minor;
END
$fn$;
--;
-- Clicks in or out: clicks per day, and the customers they identified.
CREATE OR REPLACE FUNCTION analytics_clicks_apply(f clicks[], sign integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO analytics_days AS t (merchant_id, program_id, day, channel, slot, clicks)
  SELECT k.merchant_id, k.program_id, analytics_day(k.clicked_at, g.timezone), '', analytics_slot(k.id), sign * count(*)
  FROM unnest(f) k JOIN programs g ON g.merchant_id = k.merchant_id AND g.id = k.program_id
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (merchant_id, program_id, day, channel, slot) DO UPDATE SET clicks = t.clicks + EXCLUDED.clicks;
  PERFORM analytics_presence_apply(ARRAY(
    SELECT ROW(k.merchant_id, k.program_id, x.kind, '', k.customer_id, analytics_day(k.clicked_at, g.timezone), sign)::analytics_presence_delta
    FROM unnest(f) k JOIN programs g ON g.merchant_id = k.merchant_id AND g.id = k.program_id
    CROSS JOIN (VALUES ('click_customer'), ('reach')) x(kind)
    WHERE k.customer_id IS NOT NULL));
END
$fn$;
--;
CREATE OR REPLACE FUNCTION analytics_order_fact_of(o orders) RETURNS analytics_order_fact LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(o.merchant_id, o.program_id, o.id, o.customer_id, o.channel, o.status <> 'cancelled', o.promoter_id,
             coalesce(o.attribution_path = 'click', false), o.amount_minor - o.refunded_minor, o.paid_at)::analytics_order_fact
$$;
--;
-- The lines of the given orders, as their orders stand (or stood: `o`), when those count for products.
CREATE OR REPLACE FUNCTION analytics_order_lines_of(o orders[], sign integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM analytics_lines_apply(ARRAY(
    SELECT ROW(l.merchant_id, x.program_id, l.order_id, l.product_id, l.quantity, l.net_amount_minor - l.refunded_minor,
               l.line_no = min(l.line_no) OVER (PARTITION BY l.merchant_id, l.order_id, l.product_id), x.paid_at)::analytics_line_fact
    FROM unnest(o) x JOIN order_lines l ON l.merchant_id = x.merchant_id AND l.order_id = x.id
    WHERE x.status <> 'cancelled' AND x.promoter_id IS NOT NULL), sign);
END
$fn$;
--;
-- The commission lines of the given orders, with the orders as they stand (or stood).
CREATE OR REPLACE FUNCTION analytics_order_commission_of(o orders[], sign integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM analytics_commission_apply(ARRAY(
    SELECT ROW(c.merchant_id, c.program_id, x.program_id, c.id, c.order_id, x.channel, x.paid_at, c.beneficiary_id,
               c.amount_minor - c.reversed_minor, c.created_at)::analytics_commission_fact
    FROM unnest(o) x JOIN commission_lines c ON c.merchant_id = x.merchant_id AND c.order_id = x.id), sign);
END
$fn$;
--;
CREATE OR REPLACE FUNCTION analytics_on_orders() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  moved orders[];
BEGIN
  -- A bulk writer that rebuilds the summaries itself afterwards (the demo data) sets this for its transactions.
  IF current_setting('fenxiao.analytics_deferred', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM analytics_orders_apply(ARRAY(SELECT analytics_order_fact_of(r) FROM old_rows r), -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM analytics_orders_apply(ARRAY(SELECT analytics_order_fact_of(r) FROM new_rows r), 1);
  END IF;
  IF TG_OP = 'UPDATE' THEN
    -- An order whose day, program or channel changed moves its commission lines; one that starts or stops counting
    -- for products (cancelled, attributed) or moves moves its lines.
    PERFORM analytics_order_commission_of(ARRAY(
      SELECT ROW(o.*)::orders FROM old_rows o JOIN new_rows n ON n.merchant_id = o.merchant_id AND n.id = o.id
      WHERE (o.program_id, o.paid_at, o.channel) IS DISTINCT FROM (n.program_id, n.paid_at, n.channel)), -1);
    PERFORM analytics_order_commission_of(ARRAY(
      SELECT ROW(n.*)::orders FROM old_rows o JOIN new_rows n ON n.merchant_id = o.merchant_id AND n.id = o.id
      WHERE (o.program_id, o.paid_at, o.channel) IS DISTINCT FROM (n.program_id, n.paid_at, n.channel)), 1);
    moved := ARRAY(
      SELECT ROW(o.*)::orders FROM old_rows o JOIN new_rows n ON n.merchant_id = o.merchant_id AND n.id = o.id
      WHERE (o.program_id, o.paid_at, o.status = 'cancelled', o.promoter_id IS NULL)
            IS DISTINCT FROM (n.program_id, n.paid_at, n.status = 'cancelled', n.promoter_id IS NULL));
    IF cardinality(moved) > 0 THEN
      PERFORM analytics_order_lines_of(moved, -1);
      PERFORM analytics_order_lines_of(ARRAY(
        SELECT ROW(n.*)::orders FROM unnest(moved) o JOIN new_rows n ON n.merchant_id = o.merchant_id AND n.id = o.id), 1);
    END IF;
  END IF;
  RETURN NULL;
END
$fn$;
--;
CREATE OR REPLACE FUNCTION analytics_on_commission_lines() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- A bulk writer that rebuilds the summaries itself afterwards (the demo data) sets this for its transactions.
  IF current_setting('fenxiao.analytics_deferred', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM analytics_commission_apply(ARRAY(
      SELECT ROW(c.merchant_id, c.program_id, o.program_id, c.id, c.order_id, o.channel, o.paid_at, c.beneficiary_id,
                 c.amount_minor - c.reversed_minor, c.created_at)::analytics_commission_fact
      FROM old_rows c LEFT JOIN orders o ON o.merchant_id = c.merchant_id AND o.id = c.order_id), -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM analytics_commission_apply(ARRAY(
      SELECT ROW(c.merchant_id, c.program_id, o.program_id, c.id, c.order_id, o.channel, o.paid_at, c.beneficiary_id,
                 c.amount_minor - c.reversed_minor, c.created_at)::analytics_commission_fact
      FROM new_rows c LEFT JOIN orders o ON o.merchant_id = c.merchant_id AND o.id = c.order_id), 1);
  END IF;
  RETURN NULL;
END
$fn$;
--;
-- Lines in or out of counted attributed orders. The line that counts an order for a product is its lowest line of
-- that product: an inserted line counts when no other line of its order has the product; a deleted one when none is left.
CREATE OR REPLACE FUNCTION analytics_on_order_lines() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- A bulk writer that rebuilds the summaries itself afterwards (the demo data) sets this for its transactions.
  IF current_setting('fenxiao.analytics_deferred', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM analytics_lines_apply(ARRAY(
      SELECT ROW(l.merchant_id, o.program_id, l.order_id, l.product_id, l.quantity, l.net_amount_minor - l.refunded_minor, false, o.paid_at)::analytics_line_fact
      FROM old_rows l JOIN orders o ON o.merchant_id = l.merchant_id AND o.id = l.order_id
      WHERE o.status <> 'cancelled' AND o.promoter_id IS NOT NULL), -1);
    PERFORM analytics_lines_apply(ARRAY(
      SELECT ROW(l.merchant_id, o.program_id, l.order_id, l.product_id, l.quantity, l.net_amount_minor - l.refunded_minor, false, o.paid_at)::analytics_line_fact
      FROM new_rows l JOIN orders o ON o.merchant_id = l.merchant_id AND o.id = l.order_id
      WHERE o.status <> 'cancelled' AND o.promoter_id IS NOT NULL), 1);
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM analytics_lines_apply(ARRAY(
      SELECT ROW(l.merchant_id, o.program_id, l.order_id, l.product_id, l.quantity, l.net_amount_minor - l.refunded_minor,
                 l.line_no = min(l.line_no) OVER (PARTITION BY l.merchant_id, l.order_id, l.product_id)
                 AND NOT EXISTS (SELECT 1 FROM order_lines e WHERE e.merchant_id = l.merchant_id AND e.order_id = l.order_id
                                   AND e.product_id = l.product_id
                                   AND NOT EXISTS (SELECT 1 FROM new_rows x WHERE x.merchant_id = e.merchant_id
                                                     AND x.order_id = e.order_id AND x.line_no = e.line_no)),
                 o.paid_at)::analytics_line_fact
      FROM new_rows l JOIN orders o ON o.merchant_id = l.merchant_id AND o.id = l.order_id
      WHERE o.status <> 'cancelled' AND o.promoter_id IS NOT NULL), 1);
  ELSE
    PERFORM analytics_lines_apply(ARRAY(
      SELECT ROW(l.merchant_id, o.program_id, l.order_id, l.product_id, l.quantity, l.net_amount_minor - l.refunded_minor,
                 l.line_no = min(l.line_no) OVER (PARTITION BY l.merchant_id, l.order_id, l.product_id)
                 AND NOT EXISTS (SELECT 1 FROM order_lines e WHERE e.merchant_id = l.merchant_id AND e.order_id = l.order_id
                                   AND e.product_id = l.product_id),
                 o.paid_at)::analytics_line_fact
      FROM old_rows l JOIN orders o ON o.merchant_id = l.merchant_id AND o.id = l.order_id
      WHERE o.status <> 'cancelled' AND o.promoter_id IS NOT NULL), -1);
  END IF;
  RETURN NULL;
END
$fn$;
--;
CREATE OR REPLACE FUNCTION analytics_on_clicks() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- A bulk writer that rebuilds the summaries itself afterwards (the demo data) sets this for its transactions.
  IF current_setting('fenxiao.analytics_deferred', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM analytics_clicks_apply(ARRAY(SELECT ROW(r.*)::clicks FROM old_rows r), -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM analytics_clicks_apply(ARRAY(SELECT ROW(r.*)::clicks FROM new_rows r), 1);
  END IF;
  RETURN NULL;
END
$fn$;
--;
-- A seller counts for participation only while an active member of the program: a membership that becomes active
-- (inserted, reactivated) adds the presences of its promoter's counted orders, one that stops being active (suspended,
-- left, deleted) removes them.
CREATE OR REPLACE FUNCTION analytics_seller_presences(m memberships[], sign integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM analytics_presence_apply(ARRAY(
    SELECT ROW(o.merchant_id, o.program_id, 'seller', '', o.promoter_id, analytics_day(o.paid_at, g.timezone), sign)::analytics_presence_delta
    FROM unnest(m) x JOIN orders o ON o.merchant_id = x.merchant_id AND o.program_id = x.program_id AND o.promoter_id = x.promoter_id
    JOIN programs g ON g.merchant_id = o.merchant_id AND g.id = o.program_id
    WHERE o.status <> 'cancelled'));
END
$fn$;
--;
CREATE OR REPLACE FUNCTION analytics_on_memberships() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- A bulk writer that rebuilds the summaries itself afterwards (the demo data) sets this for its transactions.
  IF current_setting('fenxiao.analytics_deferred', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM analytics_seller_presences(ARRAY(SELECT ROW(n.*)::memberships FROM new_rows n WHERE n.status = 'active'), 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM analytics_seller_presences(ARRAY(SELECT ROW(o.*)::memberships FROM old_rows o WHERE o.status = 'active'), -1);
  ELSE
    PERFORM analytics_seller_presences(ARRAY(
      SELECT ROW(o.*)::memberships FROM old_rows o JOIN new_rows n USING (merchant_id, program_id, promoter_id)
      WHERE o.status = 'active' AND n.status <> 'active'), -1);
    PERFORM analytics_seller_presences(ARRAY(
      SELECT ROW(n.*)::memberships FROM old_rows o JOIN new_rows n USING (merchant_id, program_id, promoter_id)
      WHERE o.status <> 'active' AND n.status = 'active'), 1);
  END IF;
  RETURN NULL;
END
$fn$;
--;
-- Recompute one program's summaries from its rows (idempotent), in bulk: each table in one grouped pass over the rows,
-- independently of the triggers' incremental path (the tests check that both give the same rows).
CREATE OR REPLACE FUNCTION analytics_rebuild(p_merchant text, p_program text) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  tz text;
BEGIN
  SELECT timezone INTO tz FROM programs WHERE merchant_id = p_merchant AND id = p_program;
  PERFORM pg_advisory_xact_lock(hashtextextended(concat_ws(' ', p_merchant, p_program), 20));
  DELETE FROM analytics_days WHERE merchant_id = p_merchant AND program_id = p_program;
  DELETE FROM analytics_promoter_days WHERE merchant_id = p_merchant AND program_id = p_program;
  DELETE FROM analytics_product_days WHERE merchant_id = p_merchant AND program_id = p_program;
  DELETE FROM analytics_presence WHERE merchant_id = p_merchant AND program_id = p_program;
  DELETE FROM analytics_hist WHERE merchant_id = p_merchant AND program_id = p_program;
  INSERT INTO analytics_days (merchant_id, program_id, day, channel, slot, orders, sales_minor, click_orders, u_orders,
                              u_sales_minor, commission_minor, clicks)
  SELECT p_merchant, p_program, day, channel, slot, sum(orders), sum(sales), sum(click_orders), sum(u_orders), sum(u_sales),
         sum(cost), sum(clicks)
  FROM (
    SELECT analytics_day(o.paid_at, tz) AS day, o.channel, analytics_slot(o.id) AS slot,
           count(*) FILTER (WHERE o.status <> 'cancelled' AND o.promoter_id IS NOT NULL) AS orders,
           coalesce(sum(o.amount_minor - o.refunded_minor) FILTER (WHERE o.status <> 'cancelled' AND o.promoter_id IS NOT NULL), 0) AS sales,
           count(*) FILTER (WHERE o.status <> 'cancelled' AND o.promoter_id IS NOT NULL AND o.attribution_path = 'click') AS click_orders,
           count(*) FILTER (WHERE o.status <> 'cancelled' AND o.promoter_id IS NULL) AS u_orders,
           coalesce(sum(o.amount_minor - o.refunded_minor) FILTER (WHERE o.status <> 'cancelled' AND o.promoter_id IS NULL), 0) AS u_sales,
           0 AS cost, 0 AS clicks
    FROM orders o WHERE o.merchant_id = p_merchant AND o.program_id = p_program GROUP BY 1, 2, 3
    UNION ALL
    SELECT analytics_day(o.paid_at, tz), o.channel, analytics_slot(o.id), 0, 0, 0, 0, 0, sum(c.amount_minor - c.reversed_minor), 0
    FROM orders o JOIN commission_lines c ON c.merchant_id = o.merchant_id AND c.order_id = o.id
    WHERE o.merchant_id = p_merchant AND o.program_id = p_program GROUP BY 1, 2, 3
    UNION ALL
    SELECT analytics_day(c.created_at, tz), '', analytics_slot(c.id), 0, 0, 0, 0, 0, sum(c.amount_minor - c.reversed_minor), 0
    FROM commission_lines c WHERE c.merchant_id = p_merchant AND c.program_id = p_program AND c.order_id IS NULL GROUP BY 1, 2, 3
    UNION ALL
    SELECT analytics_day(k.clicked_at, tz), '', analytics_slot(k.id), 0, 0, 0, 0, 0, 0, count(*)
    FROM clicks k WHERE k.merchant_id = p_merchant AND k.program_id = p_program GROUP BY 1, 2, 3
  ) x GROUP BY day, channel, slot;
  INSERT INTO analytics_promoter_days (merchant_id, program_id, promoter_id, day, orders, sales_minor, commission_minor, earned_minor)
  SELECT p_merchant, p_program, promoter_id, day, sum(orders), sum(sales), sum(cost), sum(earned)
  FROM (
    SELECT o.promoter_id, analytics_day(o.paid_at, tz) AS day, count(*) AS orders, sum(o.amount_minor - o.refunded_minor) AS sales,
           0 AS cost, 0 AS earned
    FROM orders o WHERE o.merchant_id = p_merchant AND o.program_id = p_program AND o.status <> 'cancelled' AND o.promoter_id IS NOT NULL
    GROUP BY 1, 2
    UNION ALL
    SELECT c.beneficiary_id, analytics_day(coalesce(o.paid_at, c.created_at), tz), 0, 0, sum(c.amount_minor - c.reversed_minor), 0
    FROM commission_lines c LEFT JOIN orders o ON o.merchant_id = c.merchant_id AND o.id = c.order_id
    WHERE c.merchant_id = p_merchant AND c.program_id = p_program AND (c.order_id IS NULL OR o.id IS NOT NULL) GROUP BY 1, 2
    UNION ALL
    SELECT c.beneficiary_id, analytics_day(c.created_at, tz), 0, 0, 0, sum(c.amount_minor - c.reversed_minor)
    FROM commission_lines c WHERE c.merchant_id = p_merchant AND c.program_id = p_program GROUP BY 1, 2
  ) x GROUP BY promoter_id, day;
  INSERT INTO analytics_product_days (merchant_id, program_id, day, product_id, quantity, orders, sales_minor)
  SELECT p_merchant, p_program, analytics_day(o.paid_at, tz), l.product_id, sum(l.quantity), count(DISTINCT l.order_id),
         sum(l.net_amount_minor - l.refunded_minor)
  FROM orders o JOIN order_lines l ON l.merchant_id = o.merchant_id AND l.order_id = o.id
  WHERE o.merchant_id = p_merchant AND o.program_id = p_program AND o.status <> 'cancelled' AND o.promoter_id IS NOT NULL
  GROUP BY 3, 4;
  INSERT INTO analytics_presence (merchant_id, program_id, kind, scope, entity, day, n)
  SELECT p_merchant, p_program, kind, scope, entity, day, count(*)
  FROM (
    SELECT k.kind, k.scope, k.entity, analytics_day(o.paid_at, tz) AS day
    FROM orders o CROSS JOIN LATERAL (VALUES ('pair', '', o.promoter_id || ' ' || o.customer_id), ('customer', '', o.customer_id),
                                             ('channel_customer', o.channel, o.customer_id), ('reach', '', o.customer_id)) k(kind, scope, entity)
    WHERE o.merchant_id = p_merchant AND o.program_id = p_program AND o.status <> 'cancelled' AND o.promoter_id IS NOT NULL
    UNION ALL
    SELECT 'seller', '', o.promoter_id, analytics_day(o.paid_at, tz)
    FROM orders o JOIN memberships m ON m.merchant_id = o.merchant_id AND m.program_id = o.program_id AND m.promoter_id = o.promoter_id
    WHERE o.merchant_id = p_merchant AND o.program_id = p_program AND o.status <> 'cancelled' AND m.status = 'active'
    UNION ALL
    SELECT x.kind, '', k.customer_id, analytics_day(k.clicked_at, tz)
    FROM clicks k CROSS JOIN (VALUES ('click_customer'), ('reach')) x(kind)
    WHERE k.merchant_id = p_merchant AND k.program_id = p_program AND k.customer_id IS NOT NULL
  ) x GROUP BY kind, scope, entity, day;
  -- Histograms: each presence's gap to the entity's previous day, counted per day and slot, then h[i] = Σ gap ≥ i.
  INSERT INTO analytics_hist (merchant_id, program_id, kind, scope, day, slot, h)
  WITH occ AS (
    SELECT kind, scope, day, analytics_slot(entity) AS slot,
           least(coalesce(day - lag(day) OVER (PARTITION BY kind, scope, entity ORDER BY day), 366), 366) AS gap
    FROM analytics_presence WHERE merchant_id = p_merchant AND program_id = p_program
  ), agg AS (
    SELECT kind, scope, day, slot, gap, count(*) AS c FROM occ GROUP BY 1, 2, 3, 4, 5
  ), hkeys AS (
    SELECT DISTINCT kind, scope, day, slot FROM agg
  )
  SELECT p_merchant, p_program, kind, scope, day, slot, array_agg(s::integer ORDER BY i)
  FROM (SELECT k.kind, k.scope, k.day, k.slot, i, sum(coalesce(a.c, 0)) OVER (PARTITION BY k.kind, k.scope, k.day, k.slot ORDER BY i DESC) AS s
        FROM hkeys k CROSS JOIN generate_series(1, 366) i
        LEFT JOIN agg a ON (a.kind, a.scope, a.day, a.slot, a.gap) = (k.kind, k.scope, k.day, k.slot, i)) x
  GROUP BY kind, scope, day, slot;
END
$fn$;
--;
-- A program's time zone decides every day: a change recomputes its summaries.
CREATE OR REPLACE FUNCTION analytics_on_programs() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM analytics_rebuild(n.merchant_id, n.id)
  FROM old_rows o JOIN new_rows n ON n.merchant_id = o.merchant_id AND n.id = o.id WHERE n.timezone IS DISTINCT FROM o.timezone;
  RETURN NULL;
END
$fn$;
--;
DROP TRIGGER IF EXISTS analytics_orders_insert ON orders;
--;
CREATE TRIGGER analytics_orders_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_orders();
--;
DROP TRIGGER IF EXISTS analytics_orders_update ON orders;
--;
CREATE TRIGGER analytics_orders_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_orders();
--;
DROP TRIGGER IF EXISTS analytics_orders_delete ON orders;
--;
CREATE TRIGGER analytics_orders_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_orders();
--;
DROP TRIGGER IF EXISTS analytics_commission_lines_insert ON commission_lines;
--;
CREATE TRIGGER analytics_commission_lines_insert AFTER INSERT ON commission_lines REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_commission_lines();
--;
DROP TRIGGER IF EXISTS analytics_commission_lines_update ON commission_lines;
--;
CREATE TRIGGER analytics_commission_lines_update AFTER UPDATE ON commission_lines REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_commission_lines();
--;
DROP TRIGGER IF EXISTS analytics_commission_lines_delete ON commission_lines;
--;
CREATE TRIGGER analytics_commission_lines_delete AFTER DELETE ON commission_lines REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_commission_lines();
--;
DROP TRIGGER IF EXISTS analytics_order_lines_insert ON order_lines;
--;
CREATE TRIGGER analytics_order_lines_insert AFTER INSERT ON order_lines REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_order_lines();
--;
DROP TRIGGER IF EXISTS analytics_order_lines_update ON order_lines;
--;
CREATE TRIGGER analytics_order_lines_update AFTER UPDATE ON order_lines REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_order_lines();
--;
DROP TRIGGER IF EXISTS analytics_order_lines_delete ON order_lines;
--;
CREATE TRIGGER analytics_order_lines_delete AFTER DELETE ON order_lines REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_order_lines();
--;
DROP TRIGGER IF EXISTS analytics_clicks_insert ON clicks;
--;
CREATE TRIGGER analytics_clicks_insert AFTER INSERT ON clicks REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_clicks();
--;
DROP TRIGGER IF EXISTS analytics_clicks_update ON clicks;
--;
CREATE TRIGGER analytics_clicks_update AFTER UPDATE ON clicks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_clicks();
--;
DROP TRIGGER IF EXISTS analytics_clicks_delete ON clicks;
--;
CREATE TRIGGER analytics_clicks_delete AFTER DELETE ON clicks REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_clicks();
--;
DROP TRIGGER IF EXISTS analytics_memberships_insert ON memberships;
--;
CREATE TRIGGER analytics_memberships_insert AFTER INSERT ON memberships REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_memberships();
--;
DROP TRIGGER IF EXISTS analytics_memberships_update ON memberships;
--;
CREATE TRIGGER analytics_memberships_update AFTER UPDATE ON memberships REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_memberships();
--;
DROP TRIGGER IF EXISTS analytics_memberships_delete ON memberships;
--;
CREATE TRIGGER analytics_memberships_delete AFTER DELETE ON memberships REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_memberships();
--;
DROP TRIGGER IF EXISTS analytics_programs_update ON programs;
--;
CREATE TRIGGER analytics_programs_update AFTER UPDATE ON programs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_programs();
--;
-- Backfill: every existing program from its history.
SELECT analytics_rebuild(merchant_id, id) FROM programs;
