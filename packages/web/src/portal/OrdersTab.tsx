/** Orders attributed to me; the customer is masked by the API. */
import { Skeleton, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { MyOrder, Page } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useLang } from "../components/hooks.ts";
import { OrderStatusTag, PathTag, useEnumLabel } from "../components/labels.tsx";
import { useLoadMore } from "../components/useLoadMore.ts";
import { dateTime, money } from "../lib/format.ts";
import { usePortal } from "./context.tsx";
import { LoadMore } from "./LoadMore.tsx";

const PAGE = 20;

export function OrdersTab() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useEnumLabel();
  const { membership: m } = usePortal();
  const list = useLoadMore(
    (cursor) => get<Page<MyOrder>>("/v1/me/orders", { merchantId: m.merchantId, programId: m.programId, limit: PAGE, cursor }),
    [m.merchantId, m.programId],
  );
  return (
    <div className="portal-page">
      <div className="m-note">{t("portal.masked")}</div>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.items.map((o) => (
        <div className="m-card" key={o.id} data-testid="my-order">
          <div className="m-row">
            <Typography.Text strong>#{o.orderRef}</Typography.Text>
            <OrderStatusTag status={o.status} />
          </div>
          <div className="m-row" style={{ marginTop: 6 }}>
            <span className="m-amount">{money(o.amountMinor, m.currency)}</span>
            {o.refundedMinor > 0 && (
              <Typography.Text type="warning">
                {t("orders.refunded")} {money(o.refundedMinor, m.currency)}
              </Typography.Text>
            )}
          </div>
          {o.lines && o.lines.length > 0 && (
            <div className="m-meta" data-testid="order-products">
              {o.lines.map((l) => (
                <span key={l.lineNo}>
                  {l.productName ?? l.productId} × {l.quantity}
                </span>
              ))}
            </div>
          )}
          {o.myCommissionMinor !== undefined && (
            <div className="m-row" data-testid="order-my-commission">
              <span>{t("growth.myCommission")}</span>
              <Typography.Text strong>
                {money(o.myCommissionMinor - (o.myReversedMinor ?? 0), m.currency)}
                {(o.myReversedMinor ?? 0) > 0 && (
                  <Typography.Text type="secondary" delete style={{ marginLeft: 6 }}>
                    {money(o.myCommissionMinor, m.currency)}
                  </Typography.Text>
                )}
              </Typography.Text>
            </div>
          )}
          <div className="m-meta">
            <span>
              {t("orders.customer")} {o.customerRef}
            </span>
            <PathTag path={o.attributionPath} />
            {o.isFirstOrder && <Tag>{t("orders.firstOrder")}</Tag>}
            <span>{label("channel", o.channel)}</span>
            <span>{dateTime(o.paidAt, lang)}</span>
          </div>
        </div>
      ))}
      {list.loading && list.items.length === 0 && <Skeleton active />}
      {!list.loading && !list.error && list.items.length === 0 && <div className="m-empty">{t("portal.noOrders")}</div>}
      <LoadMore hasMore={list.hasMore} loading={list.loading} onMore={list.more} count={list.items.length} />
    </div>
  );
}
