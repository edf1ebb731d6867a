/** The promoter's own figures on the portal home (GET /v1/me/analytics, docs/analytics.md "Promoter figures"). */
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync } from "../components/hooks.ts";
import { money } from "../lib/format.ts";
import { Skeleton } from "../ui/ui.tsx";
import { usePortal } from "./context.tsx";

export interface MyAnalytics {
  currency: string;
  orders: { today: number; month: number; total: number };
  earnings: { todayMinor: number; monthMinor: number; totalMinor: number };
  teamSize: { level1: number; level2: number };
  rank: {
    current: string | null;
    next: { key: string; name: string | null } | null;
    progress: { criterion: string; required: number; current: number }[];
  };
  funnel: {
    clicks: number;
    clickCustomers: number;
    orders: number;
    byChannel: { channel: string; customers: number; orders: number; salesMinor: number }[];
  };
}

function Cell({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="my-figure">
      <div className="earnings-label">{label}</div>
      <div className="my-figure-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

export function MyFigures() {
  const { t } = useTranslation();
  const { membership: m } = usePortal();
  const a = useAsync(
    () => get<MyAnalytics>("/v1/me/analytics", { merchantId: m.merchantId, programId: m.programId }),
    [m.merchantId, m.programId],
  );
  if (a.error) return <ErrorBox error={a.error} onRetry={a.reload} />;
  const d = a.data;
  if (!d) return <Skeleton rows={2} />;
  const cur = d.currency;
  const step = d.rank.progress[0];
  return (
    <section className="m-card" data-testid="my-figures" aria-label={t("analytics.me.title")}>
      <div className="m-section-title">{t("analytics.me.title")}</div>
      <div className="my-figures">
        <Cell label={t("analytics.me.earnToday")} value={money(d.earnings.todayMinor, cur)} testId="me-earn-today" />
        <Cell label={t("analytics.me.earnMonth")} value={money(d.earnings.monthMinor, cur)} testId="me-earn-month" />
        <Cell label={t("analytics.me.earnTotal")} value={money(d.earnings.totalMinor, cur)} testId="me-earn-total" />
        <Cell label={t("analytics.me.ordersToday")} value={String(d.orders.today)} testId="me-orders-today" />
        <Cell label={t("analytics.me.ordersMonth")} value={String(d.orders.month)} testId="me-orders-month" />
        <Cell label={t("analytics.me.ordersTotal")} value={String(d.orders.total)} testId="me-orders-total" />
      </div>
      <div className="m-hint" data-testid="me-team">
        {t("analytics.me.team")}: {t("analytics.me.teamLine", { l1: d.teamSize.level1, l2: d.teamSize.level2 })}
      </div>
      <div className="m-hint" data-testid="me-rank">
        {t("analytics.me.rank")}: {d.rank.current ?? t("analytics.me.noRank")}
        {" · "}
        {d.rank.next && step
          ? t("analytics.me.nextRank", {
              rank: d.rank.next.name ?? d.rank.next.key,
              current: money(step.current, cur),
              required: money(step.required, cur),
            })
          : d.rank.next
            ? (d.rank.next.name ?? d.rank.next.key)
            : t("analytics.me.topRank")}
      </div>
      <div className="m-section-title" style={{ marginTop: 12 }}>
        {t("analytics.me.funnel")}
      </div>
      <div className="m-hint" data-testid="me-funnel">
        {t("analytics.me.funnelLine", { clicks: d.funnel.clicks, customers: d.funnel.clickCustomers, orders: d.funnel.orders })}
      </div>
      <ul className="my-channels">
        {d.funnel.byChannel.map((c) => (
          <li key={c.channel}>
            {c.channel}: {c.orders} · {money(c.salesMinor, cur)}
          </li>
        ))}
      </ul>
    </section>
  );
}
