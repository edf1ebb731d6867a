/**
 * 提现设置: the program's withdrawal rules and tax withholding as a form — amounts typed in yuan and the fee in percent,
 * turned into fen and basis points exactly (lib/yuan.ts) before PATCH /v1/programs/:programId/money-settings.
 */
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Radio, Row, Select, Skeleton, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, newIdempotencyKey, write } from "../../api/client.ts";
import { type MoneySettings, TAX_METHODS, type TaxMethod, type WithdrawalFee, type WithdrawalSettings } from "../../api/money.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText } from "../../components/hooks.ts";
import { parsePercentBps, parseYuan, percentInput, yuanInput } from "../../lib/yuan.ts";
import { useMoneyLabel } from "../../money/labels.tsx";
import { useConsole } from "../context.tsx";

export interface SettingsForm {
  minimum: string;
  maximum: string;
  dailyCount: number;
  dailyAmount: string;
  autoApprove: string;
  reviewSlaHours: number;
  feeKind: WithdrawalFee["kind"];
  feeRate: string;
  feeFloor: string;
  feeCeiling: string;
  feeFixed: string;
  taxMethod: TaxMethod;
  taxRate: string;
  taxAgent: "platform" | "merchant";
}

export function toForm(s: MoneySettings): SettingsForm {
  const w = s.withdrawal;
  const fee = w.fee;
  return {
    minimum: yuanInput(w.minimumMinor),
    maximum: yuanInput(w.maximumPerRequestMinor),
    dailyCount: w.dailyCountMax,
    dailyAmount: yuanInput(w.dailyAmountMaxMinor),
    autoApprove: yuanInput(w.autoApproveMaxMinor),
    reviewSlaHours: w.reviewSlaHours,
    feeKind: fee.kind,
    feeRate: fee.kind === "percent" ? percentInput(fee.rateBps) : "",
    feeFloor: fee.kind === "percent" ? yuanInput(fee.floorMinor) : "0.00",
    feeCeiling: fee.kind === "percent" && fee.ceilingMinor !== null ? yuanInput(fee.ceilingMinor) : "",
    feeFixed: fee.kind === "fixed" ? yuanInput(fee.amountMinor) : "",
    taxMethod: s.tax.method,
    taxRate: s.tax.rateBps !== undefined ? percentInput(s.tax.rateBps) : "",
    taxAgent: s.tax.agent,
  };
}

function yuan(text: string): number {
  const p = parseYuan(text);
  if (!p.ok) throw new Error(`not an amount: ${text}`);
  return p.value;
}
function pct(text: string): number {
  const p = parsePercentBps(text);
  if (!p.ok) throw new Error(`not a percentage: ${text}`);
  return p.value;
}

/** The PATCH body from the form's values (already validated). */
export function fromForm(v: SettingsForm): { withdrawal: WithdrawalSettings; tax: MoneySettings["tax"] } {
  const fee: WithdrawalFee =
    v.feeKind === "percent"
      ? {
          kind: "percent",
          rateBps: pct(v.feeRate),
          floorMinor: v.feeFloor.trim() ? yuan(v.feeFloor) : 0,
          ceilingMinor: v.feeCeiling.trim() ? yuan(v.feeCeiling) : null,
        }
      : v.feeKind === "fixed"
        ? { kind: "fixed", amountMinor: yuan(v.feeFixed) }
        : { kind: "none" };
  return {
    withdrawal: {
      minimumMinor: yuan(v.minimum),
      maximumPerRequestMinor: yuan(v.maximum),
      dailyCountMax: v.dailyCount,
      dailyAmountMaxMinor: yuan(v.dailyAmount),
      fee,
      autoApproveMaxMinor: yuan(v.autoApprove),
      reviewSlaHours: v.reviewSlaHours,
    },
    tax: { method: v.taxMethod, agent: v.taxAgent, ...(v.taxMethod === "flat" ? { rateBps: pct(v.taxRate) } : {}) },
  };
}

export function MoneySettingsPage() {
  const { t } = useTranslation();
  const { program } = useConsole();
  const settings = useAsync(() => get<MoneySettings>(`/v1/programs/${encodeURIComponent(program.id)}/money-settings`), [program.id]);
  return (
    <div>
      <Typography.Title level={3}>{t("moneySettings.title")}</Typography.Title>
      {settings.error ? <ErrorBox error={settings.error} onRetry={settings.reload} /> : null}
      {!settings.data && !settings.error ? <Skeleton active /> : null}
      {settings.data ? <SettingsEditor key={program.id} programId={program.id} initial={settings.data} onSaved={settings.reload} /> : null}
    </div>
  );
}

function SettingsEditor({ programId, initial, onSaved }: { programId: string; initial: MoneySettings; onSaved: () => void }) {
  const { t } = useTranslation();
  const label = useMoneyLabel();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<SettingsForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const feeKind = Form.useWatch("feeKind", form) ?? initial.withdrawal.fee.kind;
  const taxMethod = Form.useWatch("taxMethod", form) ?? initial.tax.method;

  const yuanRule = (required: boolean) => ({
    validator: (_: unknown, v: string | undefined) =>
      (!required && !v?.trim()) || (v && parseYuan(v).ok) ? Promise.resolve() : Promise.reject(new Error(t("moneySettings.invalidYuan"))),
  });
  const pctRule = {
    validator: (_: unknown, v: string | undefined) =>
      v && parsePercentBps(v).ok ? Promise.resolve() : Promise.reject(new Error(t("moneySettings.invalidPercent"))),
  };

  async function save(v: SettingsForm) {
    setBusy(true);
    setError(null);
    try {
      await write("PATCH", `/v1/programs/${encodeURIComponent(programId)}/money-settings`, fromForm(v), newIdempotencyKey());
      message.success(t("moneySettings.saved"));
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const money = (name: keyof SettingsForm, text: string, required = true, testid?: string) => (
    <Form.Item
      name={name}
      label={text}
      rules={[...(required ? [{ required: true, message: t("moneySettings.invalidYuan") }] : []), yuanRule(required)]}
    >
      <Input prefix="¥" inputMode="decimal" data-testid={testid ?? `settings-${name}`} />
    </Form.Item>
  );

  return (
    <Form<SettingsForm>
      form={form}
      layout="vertical"
      initialValues={toForm(initial)}
      onFinish={(v) => void save(v)}
      data-testid="money-settings"
    >
      <Card title={t("moneySettings.withdrawal")} style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            {money("minimum", t("moneySettings.minimum"))}
          </Col>
          <Col xs={24} md={8}>
            {money("maximum", t("moneySettings.maximum"))}
          </Col>
          <Col xs={24} md={8}>
            {money("dailyAmount", t("moneySettings.dailyAmount"))}
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="dailyCount"
              label={t("moneySettings.dailyCount")}
              rules={[{ required: true, type: "integer", message: t("moneySettings.invalidInt") }]}
            >
              <InputNumber min={1} precision={0} style={{ width: "100%" }} data-testid="settings-dailyCount" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            {money("autoApprove", t("moneySettings.autoApprove"))}
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="reviewSlaHours"
              label={t("moneySettings.reviewSla")}
              rules={[{ required: true, type: "integer", message: t("moneySettings.invalidInt") }]}
            >
              <InputNumber min={1} precision={0} style={{ width: "100%" }} data-testid="settings-reviewSla" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="feeKind" label={t("moneySettings.feeKind")}>
          <Radio.Group
            optionType="button"
            options={[
              { value: "none", label: t("moneySettings.feeNone") },
              { value: "percent", label: t("moneySettings.feePercent") },
              { value: "fixed", label: t("moneySettings.feeFixed") },
            ]}
          />
        </Form.Item>
        {feeKind === "percent" ? (
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="feeRate" label={t("moneySettings.feeRate")} rules={[pctRule]}>
                <Input suffix="%" inputMode="decimal" data-testid="settings-feeRate" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              {money("feeFloor", t("moneySettings.feeFloor"), false)}
            </Col>
            <Col xs={24} md={8}>
              {money("feeCeiling", t("moneySettings.feeCeiling"), false)}
            </Col>
          </Row>
        ) : null}
        {feeKind === "fixed" ? (
          <Row gutter={16}>
            <Col xs={24} md={8}>
              {money("feeFixed", t("moneySettings.feeFixedAmount"))}
            </Col>
          </Row>
        ) : null}
      </Card>
      <Card title={t("moneySettings.tax")} style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="taxMethod" label={t("moneySettings.taxMethod")}>
              <Select
                aria-label={t("moneySettings.taxMethod")}
                options={TAX_METHODS.map((m) => ({ value: m, label: label("taxMethod", m) }))}
              />
            </Form.Item>
          </Col>
          {taxMethod === "flat" ? (
            <Col xs={24} md={6}>
              <Form.Item name="taxRate" label={t("moneySettings.taxRate")} rules={[pctRule]}>
                <Input suffix="%" inputMode="decimal" data-testid="settings-taxRate" />
              </Form.Item>
            </Col>
          ) : null}
          <Col xs={24} md={6}>
            <Form.Item name="taxAgent" label={t("moneySettings.taxAgent")}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: "platform", label: t("moneySettings.agentPlatform") },
                  { value: "merchant", label: t("moneySettings.agentMerchant") },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
      <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-save">
        {t("moneySettings.save")}
      </Button>
    </Form>
  );
}
