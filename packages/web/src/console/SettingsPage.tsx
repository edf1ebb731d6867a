/** 计划设置: every program setting (the program API's PATCH), including the attribution precedence. */
import { App, Button, Card, Form, Input, InputNumber, Radio, Select, Spin, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api, get } from "../api/client.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText } from "../components/hooks.ts";
import { useConsole } from "./context.tsx";

export interface ProgramSettings {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  holdDays: number;
  clickWindowDays: number;
  bindingPolicy: "sticky" | "last-click";
  attributionPrecedence: "code-first" | "binding-first";
  protectionDays: number;
  roundingMode: "half-up" | "half-even" | "down";
  compliancePolicy: "standard" | "wechat";
  periodKind: "month" | "week" | "quarter";
  closeGraceDays: number;
  landingUrl: string;
  status: "active" | "paused";
}

const EDITABLE = [
  "name",
  "timezone",
  "holdDays",
  "clickWindowDays",
  "bindingPolicy",
  "attributionPrecedence",
  "protectionDays",
  "roundingMode",
  "compliancePolicy",
  "periodKind",
  "closeGraceDays",
  "landingUrl",
  "status",
] as const;

export function SettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { program } = useConsole();
  const [form] = Form.useForm<ProgramSettings>();
  const current = useAsync(() => get<ProgramSettings>(`/v1/programs/${encodeURIComponent(program.id)}`), [program.id]);

  useEffect(() => {
    if (current.data) form.setFieldsValue(current.data);
  }, [current.data, form]);

  async function save(values: ProgramSettings) {
    const patch = Object.fromEntries(EDITABLE.filter((k) => values[k] !== current.data?.[k]).map((k) => [k, values[k]]));
    try {
      const saved = await api<ProgramSettings>("PATCH", `/v1/programs/${encodeURIComponent(program.id)}`, patch);
      form.setFieldsValue(saved);
      message.success(t("settings.saved"));
      current.reload();
    } catch (e) {
      message.error(errorText(e));
    }
  }

  if (current.error) return <ErrorBox error={current.error} onRetry={current.reload} />;
  if (!current.data) return <Spin />;
  const days = (name: keyof ProgramSettings, label: string, max: number) => (
    <Form.Item name={name} label={label} rules={[{ required: true }]}>
      <InputNumber min={0} max={max} precision={0} style={{ width: 160 }} data-testid={`setting-${name}`} />
    </Form.Item>
  );
  return (
    <div>
      <Typography.Title level={3}>{t("settings.title")}</Typography.Title>
      <Form form={form} layout="vertical" onFinish={save} data-testid="settings-form" style={{ maxWidth: 880 }}>
        <Card title={t("settings.basics")} style={{ marginBottom: 16 }}>
          <Form.Item name="name" label={t("settings.name")} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="setting-name" />
          </Form.Item>
          <Form.Item name="currency" label={t("settings.currency")}>
            <Input disabled style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="timezone" label={t("settings.timezone")} rules={[{ required: true }]}>
            <Input style={{ width: 240 }} data-testid="setting-timezone" />
          </Form.Item>
          <Form.Item name="landingUrl" label={t("settings.landingUrl")} rules={[{ required: true, type: "url" }]}>
            <Input data-testid="setting-landingUrl" />
          </Form.Item>
          <Form.Item name="status" label={t("settings.status")}>
            <Radio.Group
              options={[
                { value: "active", label: t("settings.statusActive") },
                { value: "paused", label: t("settings.statusPaused") },
              ]}
            />
          </Form.Item>
        </Card>
        <Card title={t("settings.attribution")} style={{ marginBottom: 16 }}>
          <Form.Item name="attributionPrecedence" label={t("settings.attributionPrecedence")}>
            <Radio.Group data-testid="setting-attributionPrecedence" style={{ display: "flex", flexDirection: "column", gap: 8 }}>
              <Radio value="code-first" data-testid="precedence-code-first">
                {t("settings.codeFirst")}
              </Radio>
              <Radio value="binding-first" data-testid="precedence-binding-first">
                {t("settings.bindingFirst")}
              </Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="bindingPolicy" label={t("settings.bindingPolicy")}>
            <Radio.Group style={{ display: "flex", flexDirection: "column", gap: 8 }}>
              <Radio value="sticky">{t("settings.sticky")}</Radio>
              <Radio value="last-click">{t("settings.lastClick")}</Radio>
            </Radio.Group>
          </Form.Item>
          {days("clickWindowDays", t("settings.clickWindowDays"), 365)}
          {days("protectionDays", t("settings.protectionDays"), 3650)}
        </Card>
        <Card title={t("settings.money")} style={{ marginBottom: 16 }}>
          {days("holdDays", t("settings.holdDays"), 365)}
          <Form.Item name="roundingMode" label={t("settings.roundingMode")}>
            <Select style={{ width: 200 }} options={["half-up", "half-even", "down"].map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="compliancePolicy" label={t("settings.compliancePolicy")}>
            <Select style={{ width: 200 }} options={["standard", "wechat"].map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="periodKind" label={t("settings.periodKind")}>
            <Select style={{ width: 200 }} options={["month", "week", "quarter"].map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          {days("closeGraceDays", t("settings.closeGraceDays"), 60)}
        </Card>
        <Button type="primary" htmlType="submit" data-testid="settings-save">
          {t("settings.save")}
        </Button>
      </Form>
    </div>
  );
}
