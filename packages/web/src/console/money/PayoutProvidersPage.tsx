/**
 * 付款渠道: each payout provider with the fields its adapter needs (GET/PUT /v1/payout-providers/:provider). Keys are
 * write-only: the masked fingerprint is shown with "replace", and a key left alone is not sent (the server keeps the
 * stored one). Enabling or disabling asks first; a validation error from the server is shown on its field.
 */
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Space, Switch, Tag, Typography } from "antd";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, get, newIdempotencyKey, write } from "../../api/client.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../../components/hooks.ts";
import { dateTime } from "../../lib/format.ts";

type ProviderName = "sandbox" | "wechat" | "alipay";
interface ProviderItem {
  provider: ProviderName;
  configured: boolean;
  enabled: boolean;
  masked: Record<string, unknown> | null;
  updatedAt: string | null;
}

interface FieldSpec {
  /** The configuration's field. */
  key: string;
  /** The label's key under payoutProviders.field (when it differs from `key`). */
  label?: string;
  kind: "text" | "number" | "secret" | "pem";
  /** The masked value shown for a secret (a key of `masked`). */
  maskedAs?: string;
  optional?: boolean;
}

/** What each adapter needs (packages/server/src/modules/payouts/providers/config.ts). */
const FIELDS: Record<ProviderName, FieldSpec[]> = {
  wechat: [
    { key: "mchId", kind: "text" },
    { key: "appId", kind: "text" },
    { key: "serialNo", kind: "text" },
    { key: "privateKeyPem", kind: "pem", maskedAs: "merchantKey" },
    { key: "apiV3Key", kind: "secret", maskedAs: "apiV3Key" },
    { key: "platformPublicKeyPem", kind: "pem", maskedAs: "platformKey" },
    { key: "platformSerial", kind: "text" },
    { key: "baseUrl", kind: "text", optional: true },
    { key: "postType", kind: "text", optional: true },
    { key: "rewardDescription", kind: "text", optional: true },
    { key: "userRecvPerception", kind: "text", optional: true },
  ],
  alipay: [
    { key: "appId", label: "alipayAppId", kind: "text" },
    { key: "privateKeyPem", label: "alipayPrivateKeyPem", kind: "pem", maskedAs: "appKey" },
    { key: "alipayPublicKeyPem", kind: "pem", maskedAs: "alipayKey" },
    { key: "gateway", kind: "text", optional: true },
    { key: "orderTitle", kind: "text", optional: true },
  ],
  sandbox: [
    { key: "delayMs", kind: "number" },
    { key: "failureRate", kind: "number" },
    { key: "duplicateRate", kind: "number" },
    { key: "lateRate", kind: "number" },
    { key: "lateDelayMs", kind: "number" },
    { key: "callbackAttemptsMax", kind: "number" },
  ],
};

const ORDER: ProviderName[] = ["wechat", "alipay", "sandbox"];

export function PayoutProvidersPage() {
  const { t } = useTranslation();
  const list = useAsync(() => get<{ items: ProviderItem[] }>("/v1/payout-providers"), []);
  if (list.error) return <ErrorBox error={list.error} onRetry={list.reload} />;
  const items = list.data?.items ?? [];
  return (
    <div data-testid="payout-providers">
      <Typography.Title level={3}>{t("payoutProviders.title")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("payoutProviders.help")}</Typography.Paragraph>
      {ORDER.map((name) => {
        const item = items.find((i) => i.provider === name);
        return item ? <ProviderCard key={`${name}-${item.updatedAt ?? ""}`} item={item} onSaved={list.reload} /> : null;
      })}
      <Card title={t("payoutProviders.name.bank_file")} data-testid="provider-bank_file" style={{ marginBottom: 16 }}>
        <Tag color="green">{t("payoutProviders.enabled")}</Tag>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t("payoutProviders.bankFileHelp")}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}

function fieldLabel(t: TFunction, f: FieldSpec): string {
  return String(t(`payoutProviders.field.${f.label ?? f.key}` as "payoutProviders.field.mchId"));
}

function ProviderCard({ item, onSaved }: { item: ProviderItem; onSaved: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message, modal } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const name = item.provider;
  const title = t(`payoutProviders.name.${name}`);

  async function toggle(enabled: boolean) {
    modal.confirm({
      title: t(enabled ? "payoutProviders.enableConfirm" : "payoutProviders.disableConfirm", { name: title }),
      okText: t("payoutProviders.confirmOk"),
      cancelText: t("payoutProviders.confirmCancel"),
      okButtonProps: { "data-testid": "provider-confirm" } as Record<string, string>,
      onOk: async () => {
        setBusy(true);
        try {
          await write("PUT", `/v1/payout-providers/${name}`, { enabled });
          message.success(t("payoutProviders.saved"));
          onSaved();
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setBusy(false);
        }
      },
    });
  }

  const masked = item.masked ?? {};
  return (
    <Card
      title={title}
      data-testid={`provider-${name}`}
      style={{ marginBottom: 16 }}
      extra={
        <Space>
          <Tag color={item.configured ? "blue" : "default"}>
            {item.configured ? t("payoutProviders.configured") : t("payoutProviders.notConfigured")}
          </Tag>
          <span id={`provider-${name}-enabled`}>{t("payoutProviders.enable")}</span>
          <Switch
            aria-labelledby={`provider-${name}-enabled`}
            checked={item.enabled}
            disabled={!item.configured || busy}
            loading={busy}
            onChange={(v) => void toggle(v)}
            data-testid={`provider-${name}-switch`}
          />
        </Space>
      }
    >
      {name === "sandbox" ? <Typography.Paragraph type="secondary">{t("payoutProviders.sandboxHelp")}</Typography.Paragraph> : null}
      {item.configured && !editing ? (
        <Descriptions column={{ xs: 1, md: 2 }} size="small" data-testid={`provider-${name}-masked`}>
          {FIELDS[name].map((f) => (
            <Descriptions.Item key={f.key} label={fieldLabel(t, f)}>
              {f.maskedAs ? <Typography.Text code>{String(masked[f.maskedAs] ?? "—")}</Typography.Text> : String(masked[f.key] ?? "—")}
            </Descriptions.Item>
          ))}
          {name === "sandbox" ? (
            <Descriptions.Item label={t("payoutProviders.field.secret")}>
              <Typography.Text code>{String(masked.secret ?? "—")}</Typography.Text>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      ) : null}
      {item.updatedAt && !editing ? (
        <Typography.Text type="secondary">{t("payoutProviders.updatedAt", { at: dateTime(item.updatedAt, lang) })}</Typography.Text>
      ) : null}
      {editing ? (
        <ProviderForm
          item={item}
          onDone={() => {
            setEditing(false);
            onSaved();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div style={{ marginTop: 12 }}>
          <Button onClick={() => setEditing(true)} data-testid={`provider-${name}-edit`}>
            {item.configured ? t("payoutProviders.edit") : t("payoutProviders.configure")}
          </Button>
        </div>
      )}
    </Card>
  );
}

/** The form of one provider: plain fields prefilled from the masked view; keys empty, sent only when replaced. */
function ProviderForm({ item, onDone, onCancel }: { item: ProviderItem; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, string | number | null>>();
  const name = item.provider;
  const fields = FIELDS[name];
  const stored = item.configured;
  const [replacing, setReplacing] = useState<Set<string>>(() => new Set(stored ? [] : fields.filter((f) => f.maskedAs).map((f) => f.key)));
  const [rotate, setRotate] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState<{ body: string; key: string } | null>(null);
  const masked = item.masked ?? {};
  const initial = Object.fromEntries(
    fields.filter((f) => !f.maskedAs && masked[f.key] !== undefined).map((f) => [f.key, masked[f.key] as string | number]),
  );

  async function save(values: Record<string, string | number | null>) {
    const config: Record<string, unknown> = {};
    for (const f of fields) {
      const v = values[f.key];
      if (f.maskedAs && !replacing.has(f.key)) continue;
      if (v === undefined || v === null || v === "") continue;
      config[f.key] = f.kind === "number" ? Number(v) : f.kind === "pem" ? String(v) : String(v).trim();
    }
    const body = { enabled: item.enabled, config, ...(rotate ? { rotateSecret: true } : {}) };
    const text = JSON.stringify(body);
    const k = key?.body === text ? key : { body: text, key: newIdempotencyKey() };
    setKey(k);
    setBusy(true);
    setError(null);
    try {
      await write("PUT", `/v1/payout-providers/${name}`, body, k.key);
      setKey(null);
      message.success(t("payoutProviders.saved"));
      onDone();
    } catch (e) {
      // A field the server refused is shown on that field (its path is config.<field>).
      const issue = e instanceof ApiError ? (e.details.issues as { path?: string; message?: string }[] | undefined)?.[0] : undefined;
      const field = issue?.path?.startsWith("config.") ? issue.path.slice("config.".length) : null;
      if (field && fields.some((f) => f.key === field)) {
        if (!replacing.has(field) && fields.find((f) => f.key === field)?.maskedAs) setReplacing(new Set([...replacing, field]));
        form.setFields([{ name: field, errors: [issue?.message ?? errorText(e)] }]);
      } else setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => void save(v)}
      style={{ maxWidth: 640 }}
      data-testid={`provider-${name}-form`}
    >
      {fields.map((f) => {
        const id = `provider-${name}-${f.key}`;
        const label = fieldLabel(t, f);
        if (f.maskedAs && !replacing.has(f.key))
          return (
            <Form.Item key={f.key} label={label}>
              <Space>
                <Typography.Text code data-testid={`${id}-masked`}>
                  {String(masked[f.maskedAs] ?? t("payoutProviders.secretSet"))}
                </Typography.Text>
                <Button
                  size="small"
                  onClick={() => setReplacing(new Set([...replacing, f.key]))}
                  data-testid={`${id}-replace`}
                  aria-label={`${t("payoutProviders.replace")} ${label}`}
                >
                  {t("payoutProviders.replace")}
                </Button>
              </Space>
            </Form.Item>
          );
        const required = !f.optional && (!f.maskedAs || replacing.has(f.key)) && !(item.configured && f.kind === "number");
        return (
          <Form.Item
            key={f.key}
            name={f.key}
            label={label}
            htmlFor={id}
            rules={
              required
                ? [{ required: true, message: stored && f.maskedAs ? t("payoutProviders.required") : t("payoutProviders.secretRequired") }]
                : []
            }
            extra={
              f.maskedAs && stored ? (
                <Button
                  type="link"
                  size="small"
                  style={{ padding: 0 }}
                  onClick={() => {
                    const next = new Set(replacing);
                    next.delete(f.key);
                    setReplacing(next);
                    form.setFields([{ name: f.key, value: undefined, errors: [] }]);
                  }}
                >
                  {t("payoutProviders.keepSecret")}
                </Button>
              ) : undefined
            }
          >
            {f.kind === "number" ? (
              <InputNumber id={id} style={{ width: 220 }} data-testid={id} />
            ) : f.kind === "pem" ? (
              <Input.TextArea id={id} rows={4} autoComplete="off" spellCheck={false} data-testid={id} placeholder="-----BEGIN …-----" />
            ) : f.kind === "secret" ? (
              <Input.Password id={id} autoComplete="new-password" data-testid={id} />
            ) : (
              <Input id={id} autoComplete="off" data-testid={id} />
            )}
          </Form.Item>
        );
      })}
      {name === "sandbox" ? (
        <Form.Item label={t("payoutProviders.field.secret")} extra={t("payoutProviders.rotateHelp")}>
          <Space>
            <Typography.Text code>{String(masked.secret ?? "—")}</Typography.Text>
            <span id={`provider-${name}-rotate`}>{t("payoutProviders.rotateSecret")}</span>
            <Switch
              aria-labelledby={`provider-${name}-rotate`}
              checked={rotate}
              onChange={setRotate}
              data-testid="provider-sandbox-rotate"
            />
          </Space>
        </Form.Item>
      ) : null}
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid={`provider-${name}-save`}>
          {t("payoutProviders.save")}
        </Button>
        <Button onClick={onCancel}>{t("payoutProviders.cancel")}</Button>
      </Space>
    </Form>
  );
}
