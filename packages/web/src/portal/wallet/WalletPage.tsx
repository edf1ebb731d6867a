/** 钱包: the promoter's money with every merchant (待结算/可提现/提现中/已提现/已扣税) and the total, with the money-out actions. */
import { AuditOutlined, BankOutlined, FileTextOutlined, HistoryOutlined, WalletOutlined } from "@ant-design/icons";
import { Alert, Skeleton } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { get } from "../../api/client.ts";
import type { Wallet, WalletFigures } from "../../api/money.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync } from "../../components/hooks.ts";
import { money } from "../../lib/format.ts";

export function useWallet() {
  return useAsync(() => get<Wallet>("/v1/me/wallet"), []);
}

function Figures({ f, testid }: { f: WalletFigures; testid: string }) {
  const { t } = useTranslation();
  const cells = [
    ["pending", f.pendingMinor],
    ["locked", f.lockedMinor],
    ["paid", f.paidMinor],
    ["tax", f.taxMinor],
  ] as const;
  return (
    <div className="wallet-figures">
      {cells.map(([k, v]) => (
        <div key={k}>
          <div className="earnings-label">{t(`wallet.${k}`)}</div>
          <div className="earnings-sub" data-testid={`${testid}-${k}`}>
            {money(v, f.currency)}
          </div>
        </div>
      ))}
    </div>
  );
}

export function WalletPage() {
  const { t } = useTranslation();
  const wallet = useWallet();
  const actions = [
    { to: "/portal/wallet/withdraw", icon: <WalletOutlined />, label: t("wallet.withdraw"), id: "withdraw" },
    { to: "/portal/wallet/history", icon: <HistoryOutlined />, label: t("wallet.history"), id: "history" },
    { to: "/portal/wallet/accounts", icon: <BankOutlined />, label: t("wallet.accounts"), id: "accounts" },
    { to: "/portal/wallet/statements", icon: <FileTextOutlined />, label: t("wallet.statements"), id: "statements" },
  ];
  const w = wallet.data;
  return (
    <div className="portal-page">
      {wallet.error ? <ErrorBox error={wallet.error} onRetry={wallet.reload} /> : null}
      {!w && !wallet.error ? <Skeleton active /> : null}
      {w?.totals.map((tot) => (
        <section className="earnings" key={tot.currency} data-testid="wallet-total">
          <div className="earnings-label">
            {t("wallet.total")} · {t("wallet.available")}
          </div>
          <div className="earnings-main" data-testid="wallet-total-available">
            {money(tot.availableMinor, tot.currency)}
          </div>
          <Figures f={tot} testid="wallet-total" />
        </section>
      ))}
      {w && w.totals.length === 0 ? <div className="m-empty">{t("wallet.empty")}</div> : null}

      <nav className="wallet-actions" aria-label={t("wallet.title")}>
        {actions.map((a) => (
          <Link key={a.id} to={a.to} className="wallet-action" data-testid={`wallet-${a.id}`}>
            <span className="wallet-action-icon">{a.icon}</span>
            <span>{a.label}</span>
          </Link>
        ))}
      </nav>

      {w && w.merchants.length > 0 ? (
        <div className="m-section-head">
          <span className="m-section-title">
            <AuditOutlined /> {t("wallet.perMerchant")}
          </span>
        </div>
      ) : null}
      {w?.merchants.map((m) => (
        <section className="m-card" key={m.merchantId} data-testid="wallet-merchant" data-merchant={m.merchantId}>
          <div className="m-row">
            <strong>{m.merchantName}</strong>
            <span className="m-amount" data-testid="wallet-merchant-available">
              {money(m.availableMinor, m.currency)}
            </span>
          </div>
          <div className="m-meta">{m.programs.map((p) => p.programName).join(" · ")}</div>
          {m.availableMinor < 0 ? (
            <Alert
              type="warning"
              showIcon
              title={t("wallet.owed", { amount: money(-m.availableMinor, m.currency) })}
              style={{ marginTop: 8 }}
            />
          ) : null}
          <Figures f={m} testid="wallet-merchant" />
        </section>
      ))}
    </div>
  );
}
