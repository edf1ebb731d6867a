/**
 * The platform admin's console: this month's platform figures, the merchants (search, onboard, suspend, reactivate),
 * each program's service fee, and a program's funding — its mode, budget and top-ups, recorded here.
 */
import { App, Button, Card, Input, Layout, Radio, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, write } from "../api/client.ts";
import type { Funding } from "../api/money.ts";
import { ChangePasswordButton } from "../components/ChangePasswordDialog.tsx";
import { useAsync, useErrorText } from "../components/hooks.ts";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import { LogoutButton } from "../components/LogoutButton.tsx";
import { FundingView, TopupForm } from "../console/money/FundingPage.tsx";
import { FeesCard } from "./FeesCard.tsx";
import { KpiCards } from "./KpiCards.tsx";
import { MerchantsCard } from "./MerchantsCard.tsx";

export default function PlatformApp() {
  const { t } = useTranslation();
  const [programText, setProgramText] = useState("");
  const [programId, setProgramId] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header className="console-header">
        <Space size="middle">
          <span className="brand-mark">分</span>
          <Typography.Text strong>{t("platform.title")}</Typography.Text>
        </Space>
        <Space size="middle">
          <LanguageSwitch />
          <ChangePasswordButton />
          <LogoutButton />
        </Space>
      </Layout.Header>
      <Layout.Content className="console-content">
        <KpiCards reloadKey={tick} />
        <MerchantsCard reloadKey={tick} onChanged={() => setTick((x) => x + 1)} />
        <FeesCard reloadKey={tick} />
        <Card title={t("funding.title")} style={{ marginBottom: 16 }}>
          <Space.Compact style={{ maxWidth: 480, width: "100%" }}>
            <Input
              aria-label={t("funding.topupProgram")}
              placeholder={t("funding.topupProgram")}
              value={programText}
              onChange={(e) => setProgramText(e.target.value)}
              onPressEnter={() => setProgramId(programText.trim() || null)}
              data-testid="platform-program"
            />
            <Button type="primary" onClick={() => setProgramId(programText.trim() || null)} data-testid="platform-program-open">
              {t("common.view")}
            </Button>
          </Space.Compact>
        </Card>
        {programId ? (
          <>
            <ModeSwitch programId={programId} onDone={() => setTick((x) => x + 1)} reloadKey={tick} />
            <TopupForm programId={programId} onDone={() => setTick((x) => x + 1)} />
            <FundingView programId={programId} currency="CNY" reloadKey={tick} />
          </>
        ) : null}
      </Layout.Content>
    </Layout>
  );
}

/** Prepaid or postpaid: set by the platform admin (PATCH /v1/programs/:programId/funding). */
function ModeSwitch({ programId, onDone, reloadKey }: { programId: string; onDone: () => void; reloadKey: number }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const funding = useAsync(() => get<Funding>(`/v1/programs/${encodeURIComponent(programId)}/funding`), [programId, reloadKey]);
  if (!funding.data) return null;
  return (
    <Card style={{ marginBottom: 16 }}>
      <Space>
        <Typography.Text>{t("funding.mode")}</Typography.Text>
        <Radio.Group
          optionType="button"
          aria-label={t("funding.mode")}
          value={funding.data.mode}
          onChange={(e) =>
            void write("PATCH", `/v1/programs/${encodeURIComponent(programId)}/funding`, { mode: e.target.value }).then(
              () => onDone(),
              (err: unknown) => message.error(errorText(err)),
            )
          }
          options={[
            { value: "prepaid", label: t("funding.prepaid") },
            { value: "postpaid", label: t("funding.postpaid") },
          ]}
          data-testid="funding-mode"
        />
      </Space>
    </Card>
  );
}
