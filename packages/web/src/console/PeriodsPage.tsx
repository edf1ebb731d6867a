/** 结算: the recent periods of the program, closed or open, and closing an ended one. */

import { periodOf } from "@fenxiao/core/period/period.ts";
import { Alert, App, Button, Card, Popconfirm, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { get, post } from "../api/client.ts";
import type { CloseSummary, Items, PeriodClose, PlanVersion } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { date, dateTime, money } from "../lib/format.ts";
import { useConsole } from "./context.tsx";

/** How many periods back from the current one are offered for closing. */
export const RECENT_PERIODS = 6;

interface Row {
  periodKey: string;
  startsAt: string;
  endsAt: string;
  state: "closed" | "open" | "running";
  closed?: PeriodClose;
}

export function PeriodsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { program } = useConsole();
  const base = `/v1/programs/${encodeURIComponent(program.id)}`;
  const closed = useAsync(async () => {
    const [periods, plans] = await Promise.all([get<Items<PeriodClose>>(`${base}/periods`), get<Items<PlanVersion>>(`${base}/plans`)]);
    // Periods before the first published plan have nothing to close.
    const starts = plans.items.filter((v) => v.status === "published" && v.effectiveFrom).map((v) => Date.parse(v.effectiveFrom ?? ""));
    return { items: periods.items, firstPlanMs: starts.length ? Math.min(...starts) : null };
  }, [base]);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const cur = program.currency;
  const tz = program.timezone;

  const rows = useMemo<Row[]>(() => {
    const byKey = new Map((closed.data?.items ?? []).map((c) => [c.periodKey, c]));
    const out = new Map<string, Row>();
    const nowMs = Date.now();
    let p = periodOf(new Date(nowMs).toISOString(), program.periodKind, tz);
    const firstPlanMs = closed.data?.firstPlanMs ?? null;
    for (let i = 0; i < RECENT_PERIODS && firstPlanMs !== null && Date.parse(p.endsAt) > firstPlanMs; i++) {
      const c = byKey.get(p.key);
      out.set(p.key, {
        periodKey: p.key,
        startsAt: p.startsAt,
        endsAt: p.endsAt,
        state: c ? "closed" : Date.parse(p.endsAt) > nowMs ? "running" : "open",
        closed: c,
      });
      p = periodOf(new Date(Date.parse(p.startsAt) - 1).toISOString(), program.periodKind, tz);
    }
    for (const c of byKey.values()) {
      if (!out.has(c.periodKey))
        out.set(c.periodKey, { periodKey: c.periodKey, startsAt: c.startsAt, endsAt: c.endsAt, state: "closed", closed: c });
    }
    return [...out.values()].sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt));
  }, [closed.data, program.periodKind, tz]);

  async function close(periodKey: string) {
    setBusy(periodKey);
    setProblem(null);
    try {
      const r = await post<CloseSummary>(`${base}/periods/${encodeURIComponent(periodKey)}/close`, {});
      if (r.alreadyClosed) message.info(t("periods.alreadyClosed", { period: periodKey }));
      else message.success(t("periods.closedOk", { period: periodKey, count: r.adjustments, amount: money(r.totalMinor, cur) }));
      closed.reload();
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div>
      <Typography.Title level={3}>{t("periods.title")}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t("periods.closeHelp")}</Typography.Paragraph>
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
        {closed.error ? (
          <ErrorBox error={closed.error} onRetry={closed.reload} />
        ) : (
          <Table<Row>
            data-testid="periods-table"
            rowKey="periodKey"
            size="middle"
            loading={closed.loading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 900 }}
            columns={[
              {
                title: t("periods.periodKey"),
                dataIndex: "periodKey",
                render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
              },
              {
                title: t("periods.range"),
                key: "range",
                render: (_v, r) => `${date(r.startsAt, lang, tz)} – ${date(Date.parse(r.endsAt) - 1, lang, tz)}`,
              },
              {
                title: t("plans.status"),
                dataIndex: "state",
                render: (v: Row["state"]) =>
                  v === "closed" ? (
                    <Tag color="green">{t("periods.closedTag")}</Tag>
                  ) : v === "open" ? (
                    <Tag color="orange">{t("periods.open")}</Tag>
                  ) : (
                    <Tag color="blue">{t("periods.notEnded")}</Tag>
                  ),
              },
              {
                title: t("periods.planVersion"),
                key: "plan",
                render: (_v, r) => (r.closed?.planVersion ? `v${r.closed.planVersion}` : "—"),
              },
              { title: t("periods.adjustments"), key: "adj", align: "right", render: (_v, r) => r.closed?.summary.adjustments ?? "—" },
              {
                title: t("periods.adjustmentTotal"),
                key: "total",
                align: "right",
                render: (_v, r) => (r.closed ? money(r.closed.summary.totalMinor, cur) : "—"),
              },
              {
                title: t("periods.promotions"),
                key: "promo",
                align: "right",
                render: (_v, r) => r.closed?.summary.promotions.length ?? "—",
              },
              { title: t("periods.closedAt"), key: "closedAt", render: (_v, r) => dateTime(r.closed?.closedAt, lang) },
              {
                title: "",
                key: "action",
                align: "right",
                render: (_v, r) =>
                  r.state === "open" ? (
                    <Popconfirm title={t("periods.closeConfirm", { period: r.periodKey })} onConfirm={() => close(r.periodKey)}>
                      <Button type="primary" size="small" loading={busy === r.periodKey} data-testid={`close-${r.periodKey}`}>
                        {t("periods.closeButton")}
                      </Button>
                    </Popconfirm>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
