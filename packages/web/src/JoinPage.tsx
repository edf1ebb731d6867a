/**
 * H5 sign-up (/join?code=…), reached by a promoter's invite link or QR code: one step, no fee. The API answers 202
 * whether or not the e-mail had an account and opens no session, so the page says so and then logs in with the same
 * e-mail and password (which fails, like any wrong password, when the e-mail belonged to someone else).
 */
import { Alert, Button, Card, Form, Input, Result, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { login, post } from "./api/client.ts";
import { useErrorText } from "./components/hooks.ts";
import { LanguageSwitch } from "./components/LanguageSwitch.tsx";

interface JoinForm {
  inviteCode: string;
  name: string;
  email: string;
  password: string;
  phone?: string;
}

export default function JoinPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [params] = useSearchParams();
  const code = (params.get("code") ?? "").trim().toUpperCase();
  const [form] = Form.useForm<JoinForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ status: "accepted" | "pending"; email: string; password: string } | null>(null);
  const [loginError, setLoginError] = useState<string | null>(null);

  async function submit(v: JoinForm) {
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ status: "accepted" | "pending" }>("/v1/join", {
        inviteCode: v.inviteCode.trim(),
        name: v.name.trim(),
        email: v.email.trim(),
        password: v.password,
        phone: v.phone?.trim() || undefined,
      });
      setDone({ status: r.status, email: v.email.trim(), password: v.password });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function logIn() {
    if (!done) return;
    setBusy(true);
    setLoginError(null);
    try {
      await login(done.email, done.password);
      navigate("/portal", { replace: true });
    } catch {
      setLoginError(t("growth.loginFailed"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="join-page">
      <div className="login-lang">
        <LanguageSwitch size="small" />
      </div>
      <Card className="join-card">
        <div className="login-brand">
          <span className="brand-mark">分</span>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t("growth.joinTitle")}
            </Typography.Title>
            <Typography.Text type="secondary">{t("growth.joinSubtitle")}</Typography.Text>
          </div>
        </div>
        {done ? (
          <Result
            status={done.status === "pending" ? "info" : "success"}
            title={t("growth.acceptedTitle")}
            subTitle={<span data-testid="join-result">{done.status === "pending" ? t("growth.pending") : t("growth.accepted")}</span>}
            extra={
              <>
                {loginError && <Alert type="warning" showIcon title={loginError} style={{ marginBottom: 12, textAlign: "left" }} />}
                <Button type="primary" size="large" block loading={busy} onClick={logIn} data-testid="join-login">
                  {t("growth.loginNow")}
                </Button>
              </>
            }
          />
        ) : (
          <Form form={form} layout="vertical" size="large" onFinish={submit} requiredMark={false} initialValues={{ inviteCode: code }}>
            <Form.Item
              name="inviteCode"
              label={t("growth.inviteCode")}
              extra={code ? undefined : t("growth.noCode")}
              rules={[{ required: true, message: t("growth.required") }]}
            >
              <Input autoCapitalize="characters" readOnly={Boolean(code)} data-testid="join-code" />
            </Form.Item>
            <Form.Item name="name" label={t("growth.name")} rules={[{ required: true, whitespace: true, message: t("growth.required") }]}>
              <Input autoComplete="name" data-testid="join-name" />
            </Form.Item>
            <Form.Item name="email" label={t("growth.email")} rules={[{ required: true, type: "email", message: t("growth.required") }]}>
              <Input type="email" inputMode="email" autoComplete="username" data-testid="join-email" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t("growth.password")}
              extra={t("growth.passwordHelp")}
              rules={[{ required: true, min: 10, message: t("growth.passwordHelp") }]}
            >
              <Input.Password autoComplete="new-password" data-testid="join-password" />
            </Form.Item>
            <Form.Item name="phone" label={t("growth.phone")}>
              <Input type="tel" inputMode="tel" autoComplete="tel" data-testid="join-phone" />
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="join-error" />}
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="join-submit">
              {t("growth.submit")}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
