/** Providers and routes: one login page, the merchant console under /console, the promoter portal under /portal. */
import { App as AntApp, ConfigProvider, Spin } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { lazy, Suspense, useEffect, useState } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { getSession, onSessionChange, type Session } from "./api/client.ts";
import type { Role } from "./api/types.ts";
import { FirstPasswordChange } from "./components/ChangePasswordDialog.tsx";
import { useLang } from "./components/hooks.ts";

/**
 * Each app is a chunk of its own, chosen by route: a first visit downloads the shell (React, the router, i18n, the theme)
 * and the one app it opens, never the others (budgets in docs/performance.md, `npm run bench -- web`).
 */
const LoginPage = lazy(() => import("./LoginPage.tsx").then((m) => ({ default: m.LoginPage })));
const Console = lazy(() => import("./console/ConsoleApp.tsx"));
const Portal = lazy(() => import("./portal/PortalApp.tsx"));
const Platform = lazy(() => import("./platform/PlatformApp.tsx"));
const Join = lazy(() => import("./JoinPage.tsx"));

export function homeFor(role: Role | undefined): string {
  if (role === "merchant_admin") return "/console";
  if (role === "promoter") return "/portal";
  if (role === "platform_admin") return "/platform";
  return "/login";
}

function useSession(): Session | null {
  const [s, setS] = useState(getSession());
  useEffect(() => onSessionChange(setS), []);
  return s;
}

function Guard({ need, session, children }: { need: Role; session: Session | null; children: React.ReactNode }) {
  if (!session) return <Navigate to="/login" replace />;
  if (session.user.role !== need) return <Navigate to={homeFor(session.user.role)} replace />;
  if (session.user.passwordChangeRequired) return <FirstPasswordChange />;
  return <>{children}</>;
}

const fallback = (
  <div style={{ display: "flex", justifyContent: "center", padding: 80 }}>
    <Spin size="large" />
  </div>
);

export function App() {
  const lang = useLang();
  const session = useSession();
  return (
    <ConfigProvider locale={lang === "en" ? enUS : zhCN} theme={{ token: { colorPrimary: "#d4380d", borderRadius: 8 } }}>
      <AntApp>
        <BrowserRouter>
          <Suspense fallback={fallback}>
            <Routes>
              <Route path="/login" element={session ? <Navigate to={homeFor(session.user.role)} replace /> : <LoginPage />} />
              <Route path="/join" element={<Join />} />
              <Route
                path="/console/*"
                element={
                  <Guard need="merchant_admin" session={session}>
                    <Console />
                  </Guard>
                }
              />
              <Route
                path="/portal/*"
                element={
                  <Guard need="promoter" session={session}>
                    <Portal />
                  </Guard>
                }
              />
              <Route
                path="/platform/*"
                element={
                  <Guard need="platform_admin" session={session}>
                    <Platform />
                  </Guard>
                }
              />
              <Route path="*" element={<Navigate to={session ? homeFor(session.user.role) : "/login"} replace />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
