/**
 * The promoter portal: narrow, mobile-first, a bottom tab bar with large touch targets. Its first screen (this frame
 * and Home) is drawn without antd (ui/ui.tsx); the other tabs are built with antd and download it when first opened.
 */
import HomeOutlined from "@ant-design/icons-svg/es/asn/HomeOutlined";
import LogoutOutlined from "@ant-design/icons-svg/es/asn/LogoutOutlined";
import MoneyCollectOutlined from "@ant-design/icons-svg/es/asn/MoneyCollectOutlined";
import ShoppingOutlined from "@ant-design/icons-svg/es/asn/ShoppingOutlined";
import TeamOutlined from "@ant-design/icons-svg/es/asn/TeamOutlined";
import UserOutlined from "@ant-design/icons-svg/es/asn/UserOutlined";
import WalletOutlined from "@ant-design/icons-svg/es/asn/WalletOutlined";
import { Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Route, Routes, useNavigate } from "react-router";
import { get, getSession, logout } from "../api/client.ts";
import type { Items, Membership } from "../api/types.ts";
import { ChangePasswordButton } from "../components/ChangePasswordDialog.tsx";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync } from "../components/hooks.ts";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import { lazyWithAntd } from "../components/lazyNamed.ts";
import { Button, Empty, Icon, Skeleton, Spinner } from "../ui/ui.tsx";
import { PortalContext } from "./context.tsx";
import { HomeTab } from "./HomeTab.tsx";
import { MyApplications } from "./MyApplications.tsx";

/** Home (the first screen) is in the portal's chunk; the other tabs are chunks loaded, with antd, when opened. */
const Wallet = lazyWithAntd(() => import("./wallet/WalletRoutes.tsx"), "default");
const CommissionsTab = lazyWithAntd(() => import("./CommissionsTab.tsx"), "CommissionsTab");
const CustomersTab = lazyWithAntd(() => import("./CustomersTab.tsx"), "CustomersTab");
const OrdersTab = lazyWithAntd(() => import("./OrdersTab.tsx"), "OrdersTab");
const TeamTab = lazyWithAntd(() => import("./TeamTab.tsx"), "TeamTab");
/** The membership picker appears only with two memberships or more: antd's Select is downloaded then. */
const Select = lazyWithAntd(() => import("antd/es/select"), "default", true);

const TABS = [
  { to: "/portal", end: true, icon: HomeOutlined, label: "portal.home", id: "home" },
  { to: "/portal/wallet", end: false, icon: WalletOutlined, label: "wallet.tab", id: "wallet" },
  { to: "/portal/commissions", end: false, icon: MoneyCollectOutlined, label: "portal.commissions", id: "commissions" },
  { to: "/portal/orders", end: false, icon: ShoppingOutlined, label: "portal.orders", id: "orders" },
  { to: "/portal/customers", end: false, icon: UserOutlined, label: "portal.customers", id: "customers" },
  { to: "/portal/team", end: false, icon: TeamOutlined, label: "portal.team", id: "team" },
] as const;

const loading = <Skeleton style={{ padding: 16 }} />;

export default function PortalApp() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const memberships = useAsync(() => get<Items<Membership>>("/v1/me/memberships"), []);
  const [index, setIndex] = useState(0);
  const list = memberships.data?.items ?? [];
  const membership = list[index] ?? list[0];

  let body: React.ReactNode;
  if (memberships.error) body = <ErrorBox error={memberships.error} onRetry={memberships.reload} />;
  else if (!memberships.data) body = <Spinner label={t("common.loading")} style={{ padding: 64 }} />;
  else if (!membership)
    body = (
      <>
        <MyApplications />
        <Empty description={t("portal.noMembership")} style={{ marginTop: 64 }} />
      </>
    );
  else
    body = (
      <PortalContext.Provider value={{ membership, userName: getSession()?.user.name ?? "" }}>
        <Suspense fallback={loading}>
          <Routes>
            <Route index element={<HomeTab />} />
            <Route path="commissions" element={<CommissionsTab />} />
            <Route path="orders" element={<OrdersTab />} />
            <Route path="customers" element={<CustomersTab />} />
            <Route path="team" element={<TeamTab />} />
            <Route
              path="wallet/*"
              element={
                <Suspense fallback={loading}>
                  <Wallet />
                </Suspense>
              }
            />
            <Route path="*" element={<HomeTab />} />
          </Routes>
        </Suspense>
      </PortalContext.Provider>
    );

  return (
    <div className="portal">
      <header className="portal-header">
        <div className="portal-title">
          <span className="brand-mark small">分</span>
          {list.length > 1 ? (
            <Suspense fallback={null}>
              <Select
                aria-label={t("portal.membership")}
                variant="borderless"
                value={index}
                onChange={(i) => setIndex(Number(i))}
                options={list.map((m, i) => ({ value: i, label: `${m.merchantName} · ${m.programName}` }))}
                style={{ maxWidth: 200 }}
              />
            </Suspense>
          ) : (
            <strong className="portal-merchant">{membership ? membership.merchantName : t("app.portal")}</strong>
          )}
        </div>
        <div className="portal-actions">
          <LanguageSwitch size="small" />
          <ChangePasswordButton compact />
          <Button
            kind="text"
            aria-label={t("common.logout")}
            icon={<Icon icon={LogoutOutlined} />}
            onClick={async () => {
              await logout();
              navigate("/login", { replace: true });
            }}
            data-testid="logout"
          />
        </div>
      </header>
      <main className="portal-main">{body}</main>
      <nav className="portal-tabs">
        {TABS.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end} className="portal-tab" data-testid={`tab-${tab.id}`}>
            <span className="portal-tab-icon">
              <Icon icon={tab.icon} />
            </span>
            <span>{t(tab.label)}</span>
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
