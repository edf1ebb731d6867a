/** Customers bound to me, masked (138****1234). */
import { Skeleton, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { Items, MyCustomer } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useLang } from "../components/hooks.ts";
import { date, money } from "../lib/format.ts";
import { usePortal } from "./context.tsx";

export function CustomersTab() {
  const { t } = useTranslation();
  const lang = useLang();
  const { membership: m } = usePortal();
  const list = useAsync(
    () => get<Items<MyCustomer>>("/v1/me/customers", { merchantId: m.merchantId, programId: m.programId }),
    [m.merchantId, m.programId],
  );
  const items = list.data?.items ?? [];
  return (
    <div className="portal-page">
      <div className="m-note">{t("portal.masked")}</div>
      {list.error ? (
        <ErrorBox error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <div className="m-empty">{t("portal.noCustomers")}</div>
      ) : (
        items.map((c) => (
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
        ))
      )}
    </div>
  );
}
