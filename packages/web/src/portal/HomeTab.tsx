/** Home: my earnings, my promo code and link (with copy), and the latest commission with its "why". */
import CopyOutlined from "@ant-design/icons-svg/es/asn/CopyOutlined";
import LinkOutlined from "@ant-design/icons-svg/es/asn/LinkOutlined";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { get, post } from "../api/client.ts";
import type { Balance, CommissionLine, MyEarnings, MyLink, Page } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync } from "../components/hooks.ts";
import { copyText } from "../lib/clipboard.ts";
import { money } from "../lib/format.ts";
import { Button, Icon, Skeleton, useToast } from "../ui/ui.tsx";
import { CommissionCard } from "./CommissionCard.tsx";
import { usePortal } from "./context.tsx";
import { MyFigures } from "./MyFigures.tsx";

const RECENT = 3;

export function HomeTab() {
  const { t } = useTranslation();
  const toast = useToast();
  const { membership, userName } = usePortal();
  const m = membership;
  const balances = useAsync(() => get<{ balances: Balance[] }>("/v1/me/balances", { merchantId: m.merchantId }), [m.merchantId]);
  // The API returns the same link on every call, so asking for it is safe.
  const link = useAsync(
    () =>
      m.status === "active" ? post<MyLink>("/v1/me/links", { merchantId: m.merchantId, programId: m.programId }) : Promise.resolve(null),
    [m.merchantId, m.programId, m.status],
  );
  const earnings = useAsync(
    () => get<MyEarnings>("/v1/me/earnings", { merchantId: m.merchantId, programId: m.programId }),
    [m.merchantId, m.programId],
  );
  const recent = useAsync(
    () => get<Page<CommissionLine>>("/v1/me/commissions", { merchantId: m.merchantId, programId: m.programId, limit: RECENT }),
    [m.merchantId, m.programId],
  );

  const b = balances.data?.balances.find((x) => x.currency === m.currency) ?? balances.data?.balances[0];
  const cur = b?.currency ?? m.currency;

  async function copy(text: string) {
    if (await copyText(text)) toast.show("success", t("common.copied"));
    else toast.show("error", t("common.copyFailed"));
  }

  return (
    <div className="portal-page">
      {toast.node}
      <h4 className="portal-hello">{t("portal.hello", { name: userName })}</h4>

      <section className="earnings" data-testid="earnings">
        <div className="earnings-label">{t("portal.available")}</div>
        {balances.error ? (
          <ErrorBox error={balances.error} onRetry={balances.reload} />
        ) : !balances.data ? (
          <Skeleton rows={1} />
        ) : (
          <>
            <div className="earnings-main" data-testid="balance-available">
              {money(b?.availableMinor ?? 0, cur)}
            </div>
            <div className="earnings-row">
              <div>
                <div className="earnings-label">{t("portal.pending")}</div>
                <div className="earnings-sub" data-testid="balance-pending">
                  {money(b?.pendingMinor ?? 0, cur)}
                </div>
              </div>
              {(b?.lockedMinor ?? 0) !== 0 && (
                <div>
                  <div className="earnings-label">{t("portal.locked")}</div>
                  <div className="earnings-sub">{money(b?.lockedMinor ?? 0, cur)}</div>
                </div>
              )}
              {(b?.paidMinor ?? 0) !== 0 && (
                <div>
                  <div className="earnings-label">{t("portal.paid")}</div>
                  <div className="earnings-sub">{money(b?.paidMinor ?? 0, cur)}</div>
                </div>
              )}
            </div>
            {earnings.data && (
              <div className="earnings-row" data-testid="earnings-periods">
                <div>
                  <div className="earnings-label">{t("growth.earnToday")}</div>
                  <div className="earnings-sub" data-testid="earn-today">
                    {money(earnings.data.todayMinor, earnings.data.currency)}
                  </div>
                </div>
                <div>
                  <div className="earnings-label">{t("growth.earnMonth")}</div>
                  <div className="earnings-sub" data-testid="earn-month">
                    {money(earnings.data.monthMinor, earnings.data.currency)}
                  </div>
                </div>
                <div>
                  <div className="earnings-label">{t("growth.earnTotal")}</div>
                  <div className="earnings-sub" data-testid="earn-total">
                    {money(earnings.data.totalMinor, earnings.data.currency)}
                  </div>
                </div>
              </div>
            )}
            <div className="earnings-help">{t("portal.pendingHelp")}</div>
          </>
        )}
      </section>

      <MyFigures />

      <section className="m-card" data-testid="promo">
        <div className="m-section-title">{t("portal.myCode")}</div>
        <div className="promo-code-row">
          <span className="promo-code" data-testid="promo-code">
            {m.code}
          </span>
          <Button size="large" icon={<Icon icon={CopyOutlined} />} onClick={() => copy(m.code)} data-testid="copy-code">
            {t("common.copy")}
          </Button>
        </div>
        <div className="m-section-title" style={{ marginTop: 12 }}>
          {t("portal.myLink")}
        </div>
        {link.error ? (
          <ErrorBox error={link.error} onRetry={link.reload} />
        ) : link.loading ? (
          <Skeleton input />
        ) : link.data ? (
          <div className="promo-link-row">
            <div className="promo-link" data-testid="promo-link">
              <Icon icon={LinkOutlined} /> {link.data.url}
            </div>
            <Button
              kind="primary"
              size="large"
              icon={<Icon icon={CopyOutlined} />}
              aria-label={t("common.copy")}
              onClick={() => link.data && copy(link.data.url)}
              data-testid="copy-link"
            />
          </div>
        ) : null}
        <div className="m-hint">{t("portal.share")}</div>
      </section>

      <div className="m-section-head">
        <span className="m-section-title">{t("portal.recent")}</span>
        <Link to="/portal/commissions">{t("portal.all")}</Link>
      </div>
      {recent.error ? (
        <ErrorBox error={recent.error} onRetry={recent.reload} />
      ) : !recent.data ? (
        <Skeleton />
      ) : recent.data.items.length === 0 ? (
        <div className="m-empty">{t("portal.noCommissions")}</div>
      ) : (
        recent.data.items.map((l) => <CommissionCard key={l.id} line={l} />)
      )}
    </div>
  );
}
