/** 实名认证 and 收款账户: record the identity (shown masked afterwards) and the payout accounts (WeChat, Alipay, bank card). */
import { DeleteOutlined, PlusOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import { Alert, App, Button, Form, Input, Popconfirm, Segmented, Select, Skeleton, Tag, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { get, newIdempotencyKey, write } from "../../api/client.ts";
import { ID_TYPES, type Identity, type IdType, type NewPayoutAccount, type PayoutAccount, type PayoutKind } from "../../api/money.ts";
import type { Items } from "../../api/types.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../../components/hooks.ts";
import { date } from "../../lib/format.ts";
import { useMoneyLabel } from "../../money/labels.tsx";

export function AccountsPage() {
  return (
    <div className="portal-page">
      <IdentityCard />
      <PayoutAccounts />
    </div>
  );
}

interface IdentityForm {
  legalName: string;
  idType: IdType;
  idNumber: string;
  phone?: string;
}

/** One Idempotency-Key per attempt: kept while the same values are sent again, renewed when they change. */
function useAttemptKey() {
  const last = useRef<{ body: string; key: string } | null>(null);
  return (body: unknown) => {
    const text = JSON.stringify(body);
    if (last.current?.body !== text) last.current = { body: text, key: newIdempotencyKey() };
    return {
      key: last.current.key,
      done: () => {
        last.current = null;
      },
    };
  };
}

function IdentityCard() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useMoneyLabel();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const identity = useAsync(() => get<{ identity: Identity | null }>("/v1/me/identity"), []);
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const attempt = useAttemptKey();

  if (identity.error) return <ErrorBox error={identity.error} onRetry={identity.reload} />;
  if (!identity.data) return <Skeleton active />;
  const id = identity.data.identity;

  async function save(v: IdentityForm) {
    const body = {
      legalName: v.legalName.trim(),
      idType: v.idType,
      idNumber: v.idNumber.trim(),
      ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
    };
    const a = attempt(body);
    setSaving(true);
    setError(null);
    try {
      await write("PUT", "/v1/me/identity", body, a.key);
      a.done();
      message.success(t("identity.saved"));
      setEditing(false);
      identity.reload();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  const required = (field: string) => [{ required: true, whitespace: true, message: t("identity.required", { field }) }];
  return (
    <section className="m-card" data-testid="identity-card">
      <div className="m-row">
        <span className="m-section-title">
          <SafetyCertificateOutlined /> {t("identity.title")}
        </span>
        {id ? <Tag color="green">{t("identity.verified")}</Tag> : <Tag>{t("identity.none")}</Tag>}
      </div>
      {id && !editing ? (
        <>
          <dl className="preview-lines" data-testid="identity-masked">
            <dt>{t("identity.legalName")}</dt>
            <dd data-testid="identity-name">{id.legalName}</dd>
            <dt>{label("idType", id.idType)}</dt>
            <dd data-testid="identity-number">{id.idNumber}</dd>
            {id.phone ? (
              <>
                <dt>{t("identity.phone")}</dt>
                <dd>{id.phone}</dd>
              </>
            ) : null}
          </dl>
          <div className="m-hint">{t("identity.updatedAt", { date: date(id.updatedAt, lang) })}</div>
          <Button block size="large" style={{ marginTop: 8 }} onClick={() => setEditing(true)} data-testid="identity-edit">
            {t("identity.edit")}
          </Button>
        </>
      ) : (
        <>
          <p className="m-hint">{t("identity.help")}</p>
          <Form<IdentityForm> layout="vertical" initialValues={{ idType: id?.idType ?? "cn_resident_id" }} onFinish={(v) => void save(v)}>
            <Form.Item name="legalName" label={t("identity.legalName")} rules={required(t("identity.legalName"))}>
              <Input size="large" autoComplete="name" data-testid="identity-legal-name" />
            </Form.Item>
            <Form.Item name="idType" label={t("identity.idType")}>
              <Select
                size="large"
                aria-label={t("identity.idType")}
                options={ID_TYPES.map((x) => ({ value: x, label: label("idType", x) }))}
              />
            </Form.Item>
            <Form.Item name="idNumber" label={t("identity.idNumber")} rules={required(t("identity.idNumber"))}>
              <Input size="large" autoComplete="off" data-testid="identity-id-number" />
            </Form.Item>
            <Form.Item name="phone" label={t("identity.phoneOptional")}>
              <Input size="large" inputMode="tel" autoComplete="tel" data-testid="identity-phone" />
            </Form.Item>
            {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
            <Button type="primary" size="large" block htmlType="submit" loading={saving} data-testid="identity-save">
              {t("identity.save")}
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}

type AccountForm = Record<string, string | undefined>;

function accountBody(kind: PayoutKind, v: AccountForm): NewPayoutAccount {
  const s = (k: string) => (v[k] ?? "").trim();
  const opt = (k: string) => (s(k) ? s(k) : undefined);
  if (kind === "wechat") return { kind, appid: s("appid"), openid: s("openid") };
  if (kind === "alipay")
    return {
      kind,
      identityType: (v.identityType as "ALIPAY_USER_ID" | "ALIPAY_LOGON_ID") ?? "ALIPAY_LOGON_ID",
      identity: s("identity"),
      name: opt("name"),
    };
  return {
    kind,
    holderName: s("holderName"),
    bankName: s("bankName"),
    cardNumber: s("cardNumber").replace(/\s/g, ""),
    branch: opt("branch"),
  };
}

function PayoutAccounts() {
  const { t } = useTranslation();
  const label = useMoneyLabel();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const accounts = useAsync(() => get<Items<PayoutAccount>>("/v1/me/payout-accounts"), []);
  const [adding, setAdding] = useState(false);
  const [kind, setKind] = useState<PayoutKind>("bank");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<AccountForm>();
  const attempt = useAttemptKey();

  async function add(v: AccountForm) {
    const body = accountBody(kind, v);
    const a = attempt(body);
    setSaving(true);
    setError(null);
    try {
      await write("POST", "/v1/me/payout-accounts", body, a.key);
      a.done();
      message.success(t("accounts.added"));
      form.resetFields();
      setAdding(false);
      accounts.reload();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  async function remove(id: string) {
    try {
      await write("DELETE", `/v1/me/payout-accounts/${encodeURIComponent(id)}`);
      message.success(t("accounts.removed"));
      accounts.reload();
    } catch (e) {
      message.error(errorText(e));
    }
  }

  const req = (field: string) => [{ required: true, whitespace: true, message: t("identity.required", { field }) }];
  const items = (accounts.data?.items ?? []).filter((a) => a.status !== "removed");
  return (
    <section className="m-card" data-testid="payout-accounts">
      <div className="m-section-title">{t("accounts.title")}</div>
      {accounts.error ? <ErrorBox error={accounts.error} onRetry={accounts.reload} /> : null}
      {!accounts.data && !accounts.error ? <Skeleton active /> : null}
      {accounts.data && items.length === 0 ? <div className="m-empty">{t("accounts.none")}</div> : null}
      {items.map((a) => (
        <div className="account-row" key={a.id} data-testid="payout-account">
          <div>
            <Tag>{label("payoutKind", a.kind)}</Tag>
            <span data-testid="payout-account-display">{a.display}</span>
          </div>
          <Popconfirm
            title={t("accounts.removeConfirm")}
            okText={t("accounts.remove")}
            cancelText={t("common.cancel")}
            onConfirm={() => void remove(a.id)}
          >
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={`${t("accounts.remove")} ${a.display}`} />
          </Popconfirm>
        </div>
      ))}
      {!adding ? (
        <Button
          block
          size="large"
          icon={<PlusOutlined />}
          style={{ marginTop: 12 }}
          onClick={() => setAdding(true)}
          data-testid="account-add"
        >
          {t("accounts.add")}
        </Button>
      ) : (
        <Form<AccountForm>
          form={form}
          layout="vertical"
          style={{ marginTop: 12 }}
          onFinish={(v) => void add(v)}
          initialValues={{ identityType: "ALIPAY_LOGON_ID" }}
        >
          <Form.Item label={t("accounts.kind")}>
            <Segmented<PayoutKind>
              block
              size="large"
              aria-label={t("accounts.kind")}
              value={kind}
              onChange={setKind}
              data-testid="account-kind"
              options={(["bank", "alipay", "wechat"] as const).map((k) => ({ value: k, label: label("payoutKind", k) }))}
            />
          </Form.Item>
          {kind === "bank" ? (
            <>
              <Form.Item name="holderName" label={t("accounts.bankHolder")} rules={req(t("accounts.bankHolder"))}>
                <Input size="large" data-testid="bank-holder" />
              </Form.Item>
              <Form.Item name="bankName" label={t("accounts.bankName")} rules={req(t("accounts.bankName"))}>
                <Input size="large" data-testid="bank-name" />
              </Form.Item>
              <Form.Item name="cardNumber" label={t("accounts.bankCard")} rules={req(t("accounts.bankCard"))}>
                <Input size="large" inputMode="numeric" autoComplete="off" data-testid="bank-card" />
              </Form.Item>
              <Form.Item name="branch" label={t("accounts.bankBranch")}>
                <Input size="large" data-testid="bank-branch" />
              </Form.Item>
            </>
          ) : null}
          {kind === "alipay" ? (
            <>
              <Form.Item name="identityType" label={t("accounts.alipayIdentityType")}>
                <Select
                  size="large"
                  aria-label={t("accounts.alipayIdentityType")}
                  options={[
                    { value: "ALIPAY_LOGON_ID", label: t("accounts.alipayLogonId") },
                    { value: "ALIPAY_USER_ID", label: t("accounts.alipayUserId") },
                  ]}
                />
              </Form.Item>
              <Form.Item name="identity" label={t("accounts.alipayIdentity")} rules={req(t("accounts.alipayIdentity"))}>
                <Input size="large" autoComplete="off" data-testid="alipay-identity" />
              </Form.Item>
              <Form.Item name="name" label={t("accounts.alipayName")}>
                <Input size="large" data-testid="alipay-name" />
              </Form.Item>
            </>
          ) : null}
          {kind === "wechat" ? (
            <>
              <Typography.Paragraph type="secondary">{t("accounts.wechatHelp")}</Typography.Paragraph>
              <Form.Item name="appid" label={t("accounts.wechatAppid")} rules={req(t("accounts.wechatAppid"))}>
                <Input size="large" autoComplete="off" data-testid="wechat-appid" />
              </Form.Item>
              <Form.Item name="openid" label={t("accounts.wechatOpenid")} rules={req(t("accounts.wechatOpenid"))}>
                <Input size="large" autoComplete="off" data-testid="wechat-openid" />
              </Form.Item>
            </>
          ) : null}
          {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
          <div className="m-buttons">
            <Button size="large" onClick={() => setAdding(false)}>
              {t("common.cancel")}
            </Button>
            <Button type="primary" size="large" htmlType="submit" loading={saving} data-testid="account-save">
              {t("accounts.save")}
            </Button>
          </div>
        </Form>
      )}
    </section>
  );
}
