/**
 * 提现: choose the program and the payout account, type the amount in yuan; the preview (POST /v1/me/withdrawals/preview)
 * shows amount, tax, fee and net as the API computes them before anything is confirmed; refusals show in words with
 * their figures. Confirming sends POST /v1/me/withdrawals with one Idempotency-Key per attempt: pressing again after
 * a lost answer reuses it (no second withdrawal); changing the amount, program or account starts a new attempt.
 */

import { Alert, App, Button, Form, Input, Select, Skeleton, Spin, Typography } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { get, newIdempotencyKey, post, write } from "../../api/client.ts";
import type { Identity, PayoutAccount, Withdrawal, WithdrawalPreview } from "../../api/money.ts";
import type { Items } from "../../api/types.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../../components/hooks.ts";
import { money } from "../../lib/format.ts";
import { parseYuan, yuanInput } from "../../lib/yuan.ts";
import { usePortal } from "../context.tsx";
import { useWallet } from "./WalletPage.tsx";

/** Wait this long after the last keystroke before asking for a preview. */
const PREVIEW_DEBOUNCE_MS = 350;

type PreviewState = { kind: "idle" } | { kind: "loading" } | { kind: "ok"; p: WithdrawalPreview } | { kind: "error"; error: unknown };

function usePreview(programId: string | undefined, accountId: string | undefined, amountMinor: number | null): PreviewState {
  const [state, setState] = useState<PreviewState>({ kind: "idle" });
  const seq = useRef(0);
  useEffect(() => {
    const my = ++seq.current;
    if (!programId || !accountId || amountMinor === null) {
      setState({ kind: "idle" });
      return;
    }
    setState({ kind: "loading" });
    const timer = setTimeout(() => {
      post<WithdrawalPreview>("/v1/me/withdrawals/preview", { programId, amountMinor, payoutAccountId: accountId }).then(
        (p) => my === seq.current && setState({ kind: "ok", p }),
        (error: unknown) => my === seq.current && setState({ kind: "error", error }),
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [programId, accountId, amountMinor]);
  return state;
}

export function WithdrawPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const { membership } = usePortal();
  const wallet = useWallet();
  const identity = useAsync(() => get<{ identity: Identity | null }>("/v1/me/identity"), []);
  const accounts = useAsync(() => get<Items<PayoutAccount>>("/v1/me/payout-accounts"), []);

  const programs = useMemo(
    () =>
      (wallet.data?.merchants ?? []).flatMap((m) =>
        m.programs.map((p) => ({
          ...p,
          merchantId: m.merchantId,
          merchantName: m.merchantName,
          availableMinor: m.availableMinor,
          currency: m.currency,
        })),
      ),
    [wallet.data],
  );
  const active = (accounts.data?.items ?? []).filter((a) => a.status === "active");
  const [programId, setProgramId] = useState<string | undefined>(undefined);
  const [accountId, setAccountId] = useState<string | undefined>(undefined);
  const [amountText, setAmountText] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const attemptKey = useRef<string | null>(null);

  const program =
    programs.find((p) => p.programId === programId) ?? programs.find((p) => p.programId === membership.programId) ?? programs[0];
  const account = active.find((a) => a.id === accountId) ?? active[0];
  const parsed = parseYuan(amountText);
  const amountMinor = parsed.ok && parsed.value > 0 ? parsed.value : null;
  const preview = usePreview(program?.programId, account?.id, amountMinor);

  // A new amount, program or account is a new attempt: a new Idempotency-Key.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on these inputs
  useEffect(() => {
    attemptKey.current = null;
    setSubmitError(null);
  }, [program?.programId, account?.id, amountMinor]);

  if (wallet.error) return <ErrorBox error={wallet.error} onRetry={wallet.reload} />;
  if (identity.error) return <ErrorBox error={identity.error} onRetry={identity.reload} />;
  if (accounts.error) return <ErrorBox error={accounts.error} onRetry={accounts.reload} />;
  if (!wallet.data || !identity.data || !accounts.data) return <Skeleton active />;

  const setup = (text: string) => (
    <Alert
      type="warning"
      showIcon
      title={text}
      action={
        <Link to="/portal/wallet/accounts" data-testid="go-setup">
          {t("withdraw.goSetup")}
        </Link>
      }
      style={{ marginBottom: 12 }}
    />
  );

  async function submit() {
    if (!program || !account || amountMinor === null || preview.kind !== "ok") return;
    const p = preview.p;
    const ok = await new Promise<boolean>((resolve) =>
      modal.confirm({
        title: t("withdraw.confirmTitle", { amount: money(p.amountMinor, p.currency) }),
        content: t("withdraw.confirmBody", {
          net: money(p.netMinor, p.currency),
          tax: money(p.taxMinor, p.currency),
          fee: money(p.feeMinor, p.currency),
          account: account.display,
        }),
        okText: t("withdraw.submit"),
        cancelText: t("common.cancel"),
        okButtonProps: { "data-testid": "withdraw-confirm-ok" },
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      }),
    );
    if (!ok) return;
    attemptKey.current ??= newIdempotencyKey();
    setSubmitting(true);
    setSubmitError(null);
    try {
      const w = await write<Withdrawal>(
        "POST",
        "/v1/me/withdrawals",
        { programId: program.programId, amountMinor, payoutAccountId: account.id },
        attemptKey.current,
      );
      attemptKey.current = null;
      message.success(t("withdraw.submitted"));
      navigate(`/portal/wallet/history/${encodeURIComponent(w.id)}`);
    } catch (e) {
      setSubmitError(e);
    } finally {
      setSubmitting(false);
    }
  }

  const cur = program?.currency ?? "CNY";
  return (
    <div className="portal-page">
      <Typography.Title level={4}>{t("withdraw.title")}</Typography.Title>
      {!identity.data.identity ? setup(t("withdraw.needIdentity")) : null}
      {active.length === 0 ? setup(t("withdraw.needAccount")) : null}
      <Form layout="vertical" className="m-card" onFinish={() => void submit()}>
        <Form.Item label={t("withdraw.program")} htmlFor="withdraw-program">
          <Select
            id="withdraw-program"
            size="large"
            aria-label={t("withdraw.program")}
            data-testid="withdraw-program"
            value={program?.programId}
            onChange={setProgramId}
            options={programs.map((p) => ({ value: p.programId, label: `${p.merchantName} · ${p.programName}` }))}
          />
        </Form.Item>
        <Form.Item label={t("withdraw.account")} htmlFor="withdraw-account">
          <Select
            id="withdraw-account"
            size="large"
            aria-label={t("withdraw.account")}
            data-testid="withdraw-account"
            value={account?.id}
            onChange={setAccountId}
            options={active.map((a) => ({ value: a.id, label: a.display }))}
          />
        </Form.Item>
        <Form.Item
          label={t("withdraw.amount")}
          htmlFor="withdraw-amount"
          validateStatus={amountText && !parsed.ok ? "error" : undefined}
          help={
            amountText && !parsed.ok
              ? t("withdraw.invalidAmount")
              : program
                ? t("withdraw.availableHint", { amount: money(program.availableMinor, cur) })
                : undefined
          }
        >
          <Input
            id="withdraw-amount"
            size="large"
            inputMode="decimal"
            autoComplete="off"
            prefix="¥"
            placeholder={t("withdraw.amountPlaceholder")}
            data-testid="withdraw-amount"
            value={amountText}
            onChange={(e) => setAmountText(e.target.value)}
            suffix={
              program && program.availableMinor > 0 ? (
                <Button
                  type="link"
                  size="small"
                  onClick={() => setAmountText(yuanInput(program.availableMinor))}
                  data-testid="withdraw-all"
                >
                  {t("withdraw.all")}
                </Button>
              ) : undefined
            }
          />
        </Form.Item>

        <section className="withdraw-preview" aria-live="polite" data-testid="withdraw-preview" data-kind={preview.kind}>
          <div className="m-section-title">{t("withdraw.preview")}</div>
          {preview.kind === "idle" ? <div className="m-hint">{t("withdraw.enterAmount")}</div> : null}
          {preview.kind === "loading" ? (
            <div className="m-hint">
              <Spin size="small" /> {t("withdraw.previewing")}
            </div>
          ) : null}
          {preview.kind === "error" ? (
            <Alert type="error" showIcon title={errorText(preview.error)} data-testid="withdraw-refusal" />
          ) : null}
          {preview.kind === "ok" ? (
            <>
              <dl className="preview-lines">
                <dt>{t("withdraw.gross")}</dt>
                <dd data-testid="preview-amount">{money(preview.p.amountMinor, preview.p.currency)}</dd>
                <dt>{t("withdraw.tax")}</dt>
                <dd data-testid="preview-tax">−{money(preview.p.taxMinor, preview.p.currency)}</dd>
                <dt>{t("withdraw.fee")}</dt>
                <dd data-testid="preview-fee">−{money(preview.p.feeMinor, preview.p.currency)}</dd>
                <dt className="preview-net">{t("withdraw.net")}</dt>
                <dd className="preview-net" data-testid="preview-net">
                  {money(preview.p.netMinor, preview.p.currency)}
                </dd>
              </dl>
              <TaxLine p={preview.p} lang={lang} />
              <div className="m-hint">{preview.p.approval === "auto" ? t("withdraw.approvalAuto") : t("withdraw.approvalReview")}</div>
            </>
          ) : null}
        </section>

        {submitError ? (
          <Alert type="error" showIcon title={errorText(submitError)} style={{ marginTop: 12 }} data-testid="withdraw-error" />
        ) : null}
        <Button
          type="primary"
          size="large"
          block
          htmlType="submit"
          loading={submitting}
          disabled={preview.kind !== "ok"}
          style={{ marginTop: 16 }}
          data-testid="withdraw-submit"
        >
          {t("withdraw.submit")}
        </Button>
      </Form>
    </div>
  );
}

/** How the tax was computed, in words (the API's explanation); nothing when no tax is withheld. */
function TaxLine({ p, lang }: { p: WithdrawalPreview; lang: "zh-CN" | "en" }) {
  const given = p.tax?.method === "none" ? null : p.tax?.explanation;
  const text = given ? (lang === "en" ? given.en : given.zh) : null;
  if (!text) return null;
  return (
    <div className="m-why" data-testid="preview-tax-why">
      {text}
    </div>
  );
}
