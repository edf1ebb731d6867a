/** 提现记录: my withdrawals with their state and reason; one opens with its figures, its transitions and, for a WeChat transfer awaiting the promoter, the confirmation step. */
import { Segmented, Skeleton, Tag, Timeline, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { get } from "../../api/client.ts";
import type { Withdrawal, WithdrawalState, WithdrawalTransition } from "../../api/money.ts";
import type { Page } from "../../api/types.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useLang } from "../../components/hooks.ts";
import { useLoadMore } from "../../components/useLoadMore.ts";
import { dateTime, money } from "../../lib/format.ts";
import { useMoneyLabel, WithdrawalStateTag } from "../../money/labels.tsx";
import { LoadMore } from "../LoadMore.tsx";
import { ConfirmReceipt } from "./ConfirmReceipt.tsx";

const PAGE = 20;
const FILTERS = ["all", "requested", "paying", "paid", "rejected", "failed"] as const;

export function HistoryPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useMoneyLabel();
  const [state, setState] = useState<(typeof FILTERS)[number]>("all");
  const list = useLoadMore(
    (cursor) => get<Page<Withdrawal>>("/v1/me/withdrawals", { state: state === "all" ? undefined : state, limit: PAGE, cursor }),
    [state],
  );
  return (
    <div className="portal-page">
      <Typography.Title level={4}>{t("history.title")}</Typography.Title>
      <Segmented
        block
        size="large"
        aria-label={t("history.filterState")}
        value={state}
        onChange={(v) => setState(v as (typeof FILTERS)[number])}
        options={FILTERS.map((s) => ({ value: s, label: s === "all" ? t("common.all") : label("wstate", s) }))}
        style={{ marginBottom: 12 }}
      />
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.items.map((w) => (
        <Link
          key={w.id}
          to={`/portal/wallet/history/${encodeURIComponent(w.id)}`}
          className="m-card m-link"
          data-testid="withdrawal-row"
          data-id={w.id}
        >
          <div className="m-row">
            <span className="m-amount">{money(w.amountMinor, w.currency)}</span>
            <WithdrawalStateTag state={w.state} />
          </div>
          <div className="m-meta">
            <span>{t("history.net", { amount: money(w.netMinor, w.currency) })}</span>
            <span>{w.payee.display}</span>
            <span>{dateTime(w.requestedAt, lang)}</span>
            {w.confirmation ? <Tag color="volcano">{t("confirm.title")}</Tag> : null}
          </div>
          {w.reason ? (
            <div className="m-note" data-testid="withdrawal-reason">
              {t("history.reasonLine", { reason: w.reason })}
            </div>
          ) : null}
        </Link>
      ))}
      {list.loading && list.items.length === 0 && <Skeleton active />}
      {!list.loading && !list.error && list.items.length === 0 && <div className="m-empty">{t("history.empty")}</div>}
      <LoadMore hasMore={list.hasMore} loading={list.loading} onMore={list.more} count={list.items.length} />
    </div>
  );
}

/** Who made a transition: the promoter requested it, the system (payout runs, providers) moved it, else the merchant decided. */
function actorText(
  tr: WithdrawalTransition,
  t: (k: "history.actorPromoter" | "history.actorSystem" | "history.actorReviewer") => string,
): string {
  if (tr.event === "request") return t("history.actorPromoter");
  if (tr.actor.startsWith("system") || tr.actor.startsWith("provider")) return t("history.actorSystem");
  return t("history.actorReviewer");
}

const FINAL: readonly WithdrawalState[] = ["paid", "rejected", "failed"];

export function WithdrawalDetailPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useMoneyLabel();
  const { withdrawalId = "" } = useParams();
  const w = useAsync(() => get<Withdrawal>(`/v1/me/withdrawals/${encodeURIComponent(withdrawalId)}`), [withdrawalId]);
  if (w.error) return <ErrorBox error={w.error} onRetry={w.reload} />;
  if (!w.data) return <Skeleton active />;
  const d = w.data;
  const c = d.currency;
  return (
    <div className="portal-page" data-testid="withdrawal-detail" data-state={d.state}>
      <Typography.Title level={4}>{t("history.detail")}</Typography.Title>
      <section className="m-card">
        <div className="m-row">
          <span className="m-amount" data-testid="detail-amount">
            {money(d.amountMinor, c)}
          </span>
          <WithdrawalStateTag state={d.state} />
        </div>
        <dl className="preview-lines">
          <dt>{t("withdraw.tax")}</dt>
          <dd data-testid="detail-tax">−{money(d.taxMinor, c)}</dd>
          <dt>{t("withdraw.fee")}</dt>
          <dd data-testid="detail-fee">−{money(d.feeMinor, c)}</dd>
          <dt className="preview-net">{t("withdraw.net")}</dt>
          <dd className="preview-net" data-testid="detail-net">
            {money(d.netMinor, c)}
          </dd>
          <dt>{t("history.account")}</dt>
          <dd>{d.payee.display}</dd>
          {d.provider ? (
            <>
              <dt>{t("history.provider")}</dt>
              <dd>{label("provider", d.provider)}</dd>
            </>
          ) : null}
        </dl>
        {d.tax?.explanation && d.tax.method !== "none" ? (
          <div className="m-why">{lang === "en" ? d.tax.explanation.en : d.tax.explanation.zh}</div>
        ) : null}
        {d.reason ? (
          <div className="m-note" data-testid="withdrawal-reason">
            {t("history.reasonLine", { reason: d.reason })}
          </div>
        ) : null}
      </section>
      {d.confirmation && !FINAL.includes(d.state) ? <ConfirmReceipt confirmation={d.confirmation} onDone={w.reload} /> : null}
      <section className="m-card">
        <div className="m-section-title" style={{ marginBottom: 12 }}>
          {t("history.transitions")}
        </div>
        <Timeline
          data-testid="withdrawal-transitions"
          items={(d.transitions ?? []).map((tr) => ({
            key: tr.seq,
            color: tr.to === "paid" ? "green" : tr.to === "failed" || tr.to === "rejected" ? "red" : "blue",
            content: (
              <div data-testid="withdrawal-transition">
                <div>
                  <strong>{label("wevent", tr.event)}</strong> → {label("wstate", tr.to)}
                </div>
                <div className="m-hint">
                  {dateTime(tr.at, lang)} · {actorText(tr, t)}
                </div>
                {tr.reason ? <div className="m-note">{tr.reason}</div> : null}
              </div>
            ),
          }))}
        />
      </section>
    </div>
  );
}
