-- Indexes for the analytics endpoints (modules/analytics, docs/analytics.md), each measured with `npm run bench -- analytics`
-- (docs/performance.md, "Analytics"). Every analytics query reads one program's rows in a range of paid (or clicked, or
-- created) times.
--
-- Orders by program and paid time, carrying every column the figures read, so that a period's orders are read from the
-- index alone (index-only scan) instead of orders_paid (merchant, paid_at) plus a heap visit per order. Measured over
-- 100,000 orders (a busy shared machine): the 30-day summary's p50 went from 328 ms to 104 ms, the 30-day daily trend's
-- from 117 ms to 71 ms. Cost: one more index entry per order written, and a refund's update of refunded_minor is no
-- longer a heap-only update.
CREATE INDEX orders_program_paid ON orders (merchant_id, program_id, paid_at)
  INCLUDE (promoter_id, customer_id, status, amount_minor, refunded_minor, channel, attribution_path);
--;
-- Commission lines without an order (period-close bonuses, true-ups, prizes, rewards) by creation time: commission cost
-- adds them per period; without it they were found through commission_lines_order (order_id IS NULL) and filtered on
-- created_at, i.e. all of the merchant's order-less lines read for every period asked.
CREATE INDEX commission_lines_unordered ON commission_lines (merchant_id, program_id, created_at) WHERE order_id IS NULL;
--;
-- Clicks of a program by time, with the customer they identified: the funnel counts a period's clicks and distinct
-- customers without a pass over the merchant's clicks (clicks_promoter leads with promoter_id, so it serves one
-- promoter's funnel but not the program's). Measured over 200,000 clicks: the 30-day funnel's p50 went from 186 ms to
-- 39 ms.
CREATE INDEX clicks_program ON clicks (merchant_id, program_id, clicked_at) INCLUDE (customer_id);
