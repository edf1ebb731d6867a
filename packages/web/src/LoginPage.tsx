/** One login for merchant admins and promoters; the role decides where the app goes next. */
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { login } from "./api/client.ts";
import { useErrorText } from "./components/hooks.ts";
import { LanguageSwitch } from "./components/LanguageSwitch.tsx";

const DEMO_MERCHANT = "merchant@beibei.demo";
const DEMO_PROMOTER = "promoter1@beibei.demo";
const DEMO_PASSWORD = "fenxiao-demo";
/** The demo shortcuts are offered on a local machine only. */
const isLocal = ["localhost", "127.0.0.1", "[::1]"].includes(window.location.hostname);

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ email: string; password: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(v: { email: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const s = await login(v.email.trim(), v.password);
      if (s.user.role === "merchant_admin") navigate("/console", { replace: true });
      else if (s.user.role === "promoter") navigate("/portal", { replace: true });
      else navigate("/platform", { replace: true });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const fill = (email: string) => form.setFieldsValue({ email, password: DEMO_PASSWORD });

  return (
    <div className="login-page">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <Card className="login-card">
        <div className="login-brand">
          <span className="brand-mark">分</span>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t("app.name")}
            </Typography.Title>
            <Typography.Text type="secondary">{t("login.subtitle")}</Typography.Text>
          </div>
        </div>
        <Form form={form} layout="vertical" size="large" onFinish={submit} requiredMark={false}>
          <Form.Item name="email" label={t("login.email")} rules={[{ required: true, message: t("login.emailRequired") }]}>
            <Input type="email" autoComplete="username" inputMode="email" data-testid="login-email" />
          </Form.Item>
          <Form.Item name="password" label={t("login.password")} rules={[{ required: true, message: t("login.passwordRequired") }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t("login.submit")}
          </Button>
        </Form>
        {isLocal && (
          <div className="login-demo">
            <Typography.Text type="secondary">{t("login.demo")}</Typography.Text>
            <div className="login-demo-buttons">
              <Button onClick={() => fill(DEMO_MERCHANT)}>{t("login.demoMerchant")}</Button>
              <Button onClick={() => fill(DEMO_PROMOTER)}>{t("login.demoPromoter")}</Button>
            </div>
          </div>
        )}
      </Card>
    </div>
  );
}
