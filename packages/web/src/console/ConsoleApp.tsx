/** The merchant console: side menu, header (merchant, program, language, logout) and the pages. */
import {
  ApartmentOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  CalendarOutlined,
  ContactsOutlined,
  DashboardOutlined,
  EditOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  KeyOutlined,
  MenuOutlined,
  MoneyCollectOutlined,
  SendOutlined,
  SettingOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
  UploadOutlined,
  UserAddOutlined,
  UserOutlined,
  WalletOutlined,
} from "@ant-design/icons";
import { Button, Grid, Layout, Menu, Space, Spin } from "antd";
import { lazy, Suspense, useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Route, Routes, useLocation, useNavigate } from "react-router";
import { get } from "../api/client.ts";
import { ApiError } from "../api/errors.ts";
import { collectOffset } from "../api/paging.ts";
import type { Items, Merchant, Program, Promoter } from "../api/types.ts";
import { ChangePasswordButton } from "../components/ChangePasswordDialog.tsx";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync } from "../components/hooks.ts";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import { LogoutButton } from "../components/LogoutButton.tsx";
import { lazyNamed } from "../components/lazyNamed.ts";
import { NativeSelect } from "../ui/panels.tsx";
import { ConsoleContext, type ConsoleData } from "./context.tsx";
import { DashboardPage } from "./DashboardPage.tsx";

/** The dashboard (the first screen) is in the console's chunk; every other page is a chunk loaded when opened. */

const SuspendedNotice = lazyNamed(() => import("./SuspendedNotice.tsx"), "SuspendedNotice");
const isSuspended = (e: unknown): boolean => e instanceof ApiError && e.code === "MERCHANT_SUSPENDED";

const ApiKeysPage = lazyNamed(() => import("./ApiKeysPage.tsx"), "ApiKeysPage");
const ApplicationsPage = lazyNamed(() => import("./ApplicationsPage.tsx"), "ApplicationsPage");
const CommissionsPage = lazyNamed(() => import("./CommissionsPage.tsx"), "CommissionsPage");
const ConnectorsPage = lazyNamed(() => import("./ConnectorsPage.tsx"), "ConnectorsPage");

const ImportsPage = lazyNamed(() => import("./ImportsPage.tsx"), "ImportsPage");
const LedgerPage = lazyNamed(() => import("./LedgerPage.tsx"), "LedgerPage");
const OrdersPage = lazyNamed(() => import("./OrdersPage.tsx"), "OrdersPage");
const PeriodsPage = lazyNamed(() => import("./PeriodsPage.tsx"), "PeriodsPage");
const PlansPage = lazyNamed(() => import("./PlansPage.tsx"), "PlansPage");
const PromoterPage = lazyNamed(() => import("./PromoterPage.tsx"), "PromoterPage");
const PromotersPage = lazyNamed(() => import("./PromotersPage.tsx"), "PromotersPage");
const WebhooksPage = lazyNamed(() => import("./WebhooksPage.tsx"), "WebhooksPage");
const SettingsPage = lazyNamed(() => import("./SettingsPage.tsx"), "SettingsPage");
const UsersPage = lazyNamed(() => import("./UsersPage.tsx"), "UsersPage");

const MoneyPage = lazy(() => import("./money/MoneyRoutes.tsx"));
const MONEY = ["withdrawals", "payout-runs", "payout-providers", "funding", "reports", "money-settings"] as const;
const CatalogPage = lazy(() => import("./catalog/CatalogRoutes.tsx"));
const CATALOG = ["products", "customers"] as const;

/** The plan editor is a chunk of its own, loaded when opened. */
const PlanEditorPage = lazy(() => import("./plan-editor/PlanEditorPage.tsx"));

const PAGES = [
  { key: "", icon: <DashboardOutlined />, label: "nav.dashboard" },
  { key: "orders", icon: <ShoppingCartOutlined />, label: "nav.orders" },
  { key: "promoters", icon: <TeamOutlined />, label: "nav.promoters" },
  { key: "customers", icon: <ContactsOutlined />, label: "customersPage.nav" },
  { key: "products", icon: <AppstoreOutlined />, label: "catalog.nav" },
  { key: "applications", icon: <UserAddOutlined />, label: "nav.applications" },
  { key: "commissions", icon: <MoneyCollectOutlined />, label: "nav.commissions" },
  { key: "plans", icon: <FileTextOutlined />, label: "nav.plans" },
  { key: "plan-editor", icon: <EditOutlined />, label: "nav.planEditor" },
  { key: "periods", icon: <CalendarOutlined />, label: "nav.periods" },
  { key: "ledger", icon: <AuditOutlined />, label: "nav.ledger" },
  { key: "withdrawals", icon: <WalletOutlined />, label: "review.nav" },
  { key: "payout-runs", icon: <SendOutlined />, label: "runs.nav" },
  { key: "payout-providers", icon: <KeyOutlined />, label: "payoutProviders.nav" },
  { key: "funding", icon: <BankOutlined />, label: "funding.nav" },
  { key: "reports", icon: <FileDoneOutlined />, label: "reports.nav" },
  { key: "money-settings", icon: <SettingOutlined />, label: "moneySettings.nav" },
  { key: "connectors", icon: <ApiOutlined />, label: "nav.connectors" },
  { key: "imports", icon: <UploadOutlined />, label: "nav.imports" },
  { key: "settings", icon: <SettingOutlined />, label: "nav.settings" },
  { key: "users", icon: <UserOutlined />, label: "admin.nav.users" },
] as const;

export default function ConsoleApp() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  // A phone (below antd's `sm`, 576 px): the menu hides completely and opens from a header button; the header's
  // buttons show their icons only (their names stay as accessible names).
  const narrow = Grid.useBreakpoint().sm === false;
  const [programId, setProgramId] = useState<string | null>(null);

  const base = useAsync(async () => {
    const [merchant, programs] = await Promise.all([get<Merchant>("/v1/merchant"), get<Items<Program>>("/v1/programs")]);
    return { merchant, programs: programs.items };
  }, []);
  const program = base.data?.programs.find((p) => p.id === programId) ?? base.data?.programs[0];
  const promoters = useAsync(
    async () => (program ? collectOffset<Promoter>("/v1/promoters", { programId: program.id }) : { items: [], truncated: false }),
    [program?.id],
  );
  const names = useMemo(() => new Map((promoters.data?.items ?? []).map((p) => [p.promoterId, p.name])), [promoters.data]);
  const promoterName = useCallback((id: string | null | undefined) => (id ? (names.get(id) ?? id) : "—"), [names]);

  const section = location.pathname.replace(/^\/console\/?/, "").split("/")[0] ?? "";

  if (isSuspended(base.error))
    return (
      <Suspense fallback={null}>
        <SuspendedNotice />
      </Suspense>
    );
  if (base.error) return <ErrorBox error={base.error} onRetry={base.reload} />;
  if (!base.data || !program) {
    return (
      <div style={{ display: "flex", justifyContent: "center", padding: 80 }}>
        <Spin size="large" />
      </div>
    );
  }
  const ctx: ConsoleData = {
    merchant: base.data.merchant,
    programs: base.data.programs,
    program,
    setProgramId,
    promoters: promoters.data?.items ?? [],
    promotersTruncated: promoters.data?.truncated ?? false,
    promoterName,
    reloadPromoters: promoters.reload,
  };

  return (
    <ConsoleContext.Provider value={ctx}>
      <Layout style={{ minHeight: "100vh" }}>
        <Layout.Sider
          breakpoint="lg"
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          collapsedWidth={narrow ? 0 : 80}
          trigger={narrow ? null : undefined}
          theme="light"
          width={208}
        >
          <div className="console-brand">
            <span className="brand-mark">分</span>
            {!collapsed && <span className="console-brand-text">{t("app.name")}</span>}
          </div>
          <Menu
            mode="inline"
            selectedKeys={[section]}
            onClick={(e) => {
              navigate(`/console${e.key ? `/${e.key}` : ""}`);
              if (narrow) setCollapsed(true);
            }}
            items={[
              ...PAGES.map((p) => ({ key: p.key, icon: p.icon, label: t(p.label), "data-testid": `nav-${p.key || "dashboard"}` })),
              {
                key: "developer",
                icon: <ApiOutlined />,
                label: t("nav.developer"),
                children: [
                  { key: "webhooks", label: t("nav.webhooks"), "data-testid": "nav-webhooks" },
                  { key: "api-keys", label: t("admin.nav.apiKeys"), "data-testid": "nav-api-keys" },
                ],
              },
            ]}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header className="console-header">
            <Space size={narrow ? "small" : "middle"} wrap>
              {narrow && (
                <Button
                  type="text"
                  icon={<MenuOutlined aria-hidden />}
                  aria-label={t("admin.nav.menu")}
                  aria-expanded={!collapsed}
                  onClick={() => setCollapsed((c) => !c)}
                  data-testid="nav-toggle"
                />
              )}
              <ApartmentOutlined aria-hidden />
              <strong data-testid="merchant-name">{base.data.merchant.name}</strong>
              <NativeSelect
                aria-label={t("program.label")}
                data-testid="program-select"
                className="console-program"
                value={program.id}
                onChange={(e) => setProgramId(e.target.value)}
              >
                {base.data.programs.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </NativeSelect>
            </Space>
            <Space size={narrow ? "small" : "middle"}>
              <a className="console-link" href="/docs" target="_blank" rel="noopener">
                {t("common.apiDocs")}
              </a>
              <LanguageSwitch />
              <ChangePasswordButton compact={narrow} />
              <LogoutButton compact={narrow} />
            </Space>
          </Layout.Header>
          <Layout.Content className="console-content">
            {/* Every page but the dashboard is a lazy chunk (lazyNamed): its spinner stays inside the layout. */}
            <Suspense fallback={<Spin style={{ display: "block", padding: 48 }} />}>
              <Routes>
                <Route index element={<DashboardPage />} />
                <Route path="orders" element={<OrdersPage />} />
                <Route path="promoters" element={<PromotersPage />} />
                <Route path="applications" element={<ApplicationsPage />} />
                <Route path="promoters/:promoterId" element={<PromoterPage />} />
                <Route path="settings" element={<SettingsPage />} />
                <Route path="commissions" element={<CommissionsPage />} />
                <Route path="plans" element={<PlansPage />} />
                <Route
                  path="plan-editor"
                  element={
                    <Suspense fallback={<Spin />}>
                      <PlanEditorPage />
                    </Suspense>
                  }
                />
                <Route path="periods" element={<PeriodsPage />} />
                <Route path="ledger" element={<LedgerPage />} />
                {CATALOG.map((key) => (
                  <Route
                    key={key}
                    path={key}
                    element={
                      <Suspense fallback={<Spin style={{ display: "block", padding: 48 }} />}>
                        <CatalogPage page={key} />
                      </Suspense>
                    }
                  />
                ))}
                {MONEY.map((key) => (
                  <Route
                    key={key}
                    path={key}
                    element={
                      <Suspense fallback={<Spin style={{ display: "block", padding: 48 }} />}>
                        <MoneyPage page={key} />
                      </Suspense>
                    }
                  />
                ))}
                <Route path="webhooks" element={<WebhooksPage />} />
                <Route path="api-keys" element={<ApiKeysPage />} />
                <Route path="users" element={<UsersPage />} />
                <Route path="connectors" element={<ConnectorsPage />} />
                <Route path="imports" element={<ImportsPage />} />
                <Route path="*" element={<DashboardPage />} />
              </Routes>
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </ConsoleContext.Provider>
  );
}
