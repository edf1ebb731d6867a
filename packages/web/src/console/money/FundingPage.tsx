/** 资金: the program's funding mode, budget, what is committed and what remains, the low-budget alert and the top-ups; the platform admin records a top-up (TopupForm). */
import { Alert, App, Button, Card, Descriptions, Form, Input, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, newIdempotencyKey, write } from "../../api/client.ts";
import type { Funding, Topup } from "../../api/money.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../../components/hooks.ts";
import { dateTime, money } from "../../lib/format.ts";
import { parseYuan } from "../../lib/yuan.ts";
import { useConsole } from "../context.tsx";

export function FundingView({ programId, currency, reloadKey = 0 }: { programId: string; currency: string; reloadKey?: number }) {
  const { t } = useTranslation();
  const lang = useLang();
  const funding = useAsync(() => get<Funding>(`/v1/programs/${encodeURIComponent(programId)}/funding`), [programId, reloadKey]);
  if (funding.error) return <ErrorBox error={funding.error} onRetry={funding.reload} />;
  const f = funding.data;
  return (
    <>
      {f?.low ? (
        <Alert
          type="warning"
          showIcon
          data-testid="funding-low"
          title={t("funding.low", { remaining: money(f.remainingMinor, currency), alert: money(f.lowBudgetAlertMinor ?? 0, currency) })}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Card loading={!f} style={{ marginBottom: 16 }}>
        {f ? (
          <Descriptions column={{ xs: 1, md: 3 }} data-testid="funding">
            <Descriptions.Item label={t("funding.mode")}>
              {f.mode === "prepaid" ? t("funding.prepaid") : t("funding.postpaid")}
            </Descriptions.Item>
            {f.mode === "prepaid" ? (
              <>
                <Descriptions.Item label={t("funding.budget")}>
                  <span data-testid="funding-budget">{money(f.budgetMinor, currency)}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t("funding.committed")}>{money(f.committedMinor, currency)}</Descriptions.Item>
                <Descriptions.Item label={t("funding.remaining")}>
                  <strong data-testid="funding-remaining">{money(f.remainingMinor, currency)}</strong>
                </Descriptions.Item>
                <Descriptions.Item label={t("funding.alert")}>
                  {f.lowBudgetAlertMinor === null ? t("funding.noAlert") : money(f.lowBudgetAlertMinor, currency)}
                </Descriptions.Item>
                {f.awaitingFunds && f.awaitingFunds.count > 0 ? (
                  <Descriptions.Item label={t("funding.awaiting")}>
                    {t("funding.awaitingValue", { count: f.awaitingFunds.count, amount: money(f.awaitingFunds.amountMinor, currency) })}
                  </Descriptions.Item>
                ) : null}
              </>
            ) : (
              <Descriptions.Item label="">{t("funding.postpaidHelp")}</Descriptions.Item>
            )}
          </Descriptions>
        ) : null}
      </Card>
      <Card title={t("funding.topups")}>
        <Table<Topup>
          data-testid="topups"
          size="middle"
          rowKey={(r) => r.id ?? `${r.reference}-${r.createdAt ?? r.at ?? ""}`}
          dataSource={f?.topups ?? []}
          loading={!f}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          locale={{ emptyText: t("funding.noTopups") }}
          columns={[
            { title: t("funding.topupAt"), key: "at", render: (_: unknown, r) => dateTime(r.createdAt ?? r.at ?? null, lang) },
            { title: t("funding.amount"), dataIndex: "amountMinor", align: "right", render: (v: number) => money(v, currency) },
            { title: t("funding.reference"), dataIndex: "reference" },
            { title: t("funding.note"), dataIndex: "note", render: (v: string | null | undefined) => v ?? "—" },
          ]}
        />
      </Card>
    </>
  );
}

export function FundingPage() {
  const { t } = useTranslation();
  const { program } = useConsole();
  const [tick, setTick] = useState(0);
  return (
    <div>
      <Typography.Title level={3}>{t("funding.title")}</Typography.Title>
      <FundingView programId={program.id} currency={program.currency} reloadKey={tick} />
      <AlertForm programId={program.id} onDone={() => setTick((x) => x + 1)} />
    </div>
  );
}

/** The merchant's low-budget alert threshold, in yuan (empty: no alert). */
function AlertForm({ programId, onDone }: { programId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const parsed = parseYuan(text);
  async function save() {
    setBusy(true);
    try {
      await write("PATCH", `/v1/programs/${encodeURIComponent(programId)}/funding`, {
        lowBudgetAlertMinor: text.trim() === "" ? null : parsed.ok ? parsed.value : 0,
      });
      message.success(t("moneySettings.saved"));
      setText("");
      onDone();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={t("funding.alertTitle")} style={{ marginTop: 16 }}>
      <Form layout="inline" onFinish={() => void save()}>
        <Form.Item
          label={t("funding.alertAmount")}
          htmlFor="funding-alert"
          validateStatus={text.trim() && !parsed.ok ? "error" : undefined}
          help={text.trim() && !parsed.ok ? t("moneySettings.invalidYuan") : undefined}
        >
          <Input id="funding-alert" prefix="¥" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} disabled={text.trim() !== "" && !parsed.ok}>
          {t("moneySettings.save")}
        </Button>
      </Form>
    </Card>
  );
}

interface TopupValues {
  programId: string;
  amount: string;
  reference: string;
  note?: string;
}

/** The platform admin's top-up (POST /v1/programs/:programId/funding/topups), amount typed in yuan. */
export function TopupForm({ programId, onDone }: { programId?: string; onDone: (programId: string) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<TopupValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState<{ body: string; key: string } | null>(null);

  async function submit(v: TopupValues) {
    const amount = parseYuan(v.amount);
    if (!amount.ok) return;
    const pid = programId ?? v.programId.trim();
    const body = { amountMinor: amount.value, reference: v.reference.trim(), ...(v.note?.trim() ? { note: v.note.trim() } : {}) };
    const text = JSON.stringify([pid, body]);
    const k = key?.body === text ? key : { body: text, key: newIdempotencyKey() };
    setKey(k);
    setBusy(true);
    setError(null);
    try {
      await write("POST", `/v1/programs/${encodeURIComponent(pid)}/funding/topups`, body, k.key);
      setKey(null);
      message.success(t("funding.topupDone"));
      form.resetFields(["amount", "reference", "note"]);
      onDone(pid);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("funding.topupTitle")} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t("funding.topupHelp")}</Typography.Paragraph>
      <Form<TopupValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} style={{ maxWidth: 480 }}>
        {programId === undefined ? (
          <Form.Item name="programId" label={t("funding.topupProgram")} rules={[{ required: true, whitespace: true }]}>
            <Input data-testid="topup-program" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="amount"
          label={t("funding.topupAmount")}
          rules={[
            { required: true },
            {
              validator: (_, v: string | undefined) =>
                v && parseYuan(v).ok ? Promise.resolve() : Promise.reject(new Error(t("moneySettings.invalidYuan"))),
            },
          ]}
        >
          <Input prefix="¥" inputMode="decimal" data-testid="topup-amount" />
        </Form.Item>
        <Form.Item name="reference" label={t("funding.reference")} rules={[{ required: true, whitespace: true }]}>
          <Input data-testid="topup-reference" />
        </Form.Item>
        <Form.Item name="note" label={t("funding.note")}>
          <Input />
        </Form.Item>
        {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="topup-submit">
          {t("funding.topupSubmit")}
        </Button>
      </Form>
    </Card>
  );
}
