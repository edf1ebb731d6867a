/** Customers bound to me, masked (138****1234), newest binding first, a page at a time. */
import { Skeleton, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { MyCustomer, Page } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useLang } from "../components/hooks.ts";
import { useLoadMore } from "../components/useLoadMore.ts";
import { date, money } from "../lib/format.ts";
import { usePortal } from "./context.tsx";
import { LoadMore } from "./LoadMore.tsx";

const PAGE = 50;

export function CustomersTab() {
  const { t } = useTranslation();
  const lang = useLang();
  const { membership: m } = usePortal();
  const list = useLoadMore(
    (cursor) => get<Page<MyCustomer>>("/v1/me/customers", { merchantId: m.merchantId, programId: m.programId, limit: PAGE, cursor }),
    [m.merchantId, m.programId],
  );
  return (
    <div className="portal-page">
      <div className="m-note">{t("portal.masked")}</div>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.items.map((c) => (
        <div className="m-card" key={c.id} data-testid="my-customer">
          <div className="m-row">
            <Typography.Text strong>
              {c.name ?? "—"} <span className="m-phone">{c.phone ?? ""}</span>
            </Typography.Text>
            <Typography.Text>{t("portal.customerStats", { orders: c.orders, amount: money(c.salesMinor, m.currency) })}</Typography.Text>
          </div>
          <div className="m-meta">
            <span>{t("portal.boundAt", { date: date(c.boundAt, lang) })}</span>
            <span>{t("portal.expiresAt", { date: date(c.expiresAt, lang) })}</span>
          </div>
        </div>
      ))}
      {list.loading && list.items.length === 0 && <Skeleton active />}
      {!list.loading && !list.error && list.items.length === 0 && <div className="m-empty">{t("portal.noCustomers")}</div>}
      <LoadMore hasMore={list.hasMore} loading={list.loading} onMore={list.more} count={list.items.length} />
    </div>
  );
}
