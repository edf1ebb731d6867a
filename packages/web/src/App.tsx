/** Providers and routes: one login page, the merchant console under /console, the promoter portal under /portal. */
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { getSession, onSessionChange, type Session } from "./api/client.ts";
import type { Role } from "./api/types.ts";
import { FirstPasswordChange } from "./components/ChangePasswordDialog.tsx";
import { lazyWithAntd } from "./components/lazyNamed.ts";
import { withConsoleStrings } from "./i18n/index.ts";
import { Spinner } from "./ui/ui.tsx";

/**
 * Each app is a chunk of its own, chosen by route: a first visit downloads the shell (React, the router, i18n, the theme)
 * and the one app it opens, never the others (budgets in docs/performance.md, `npm run bench -- web`). The shell has no
 * antd: the apps built with it arrive with antd's theme and locale (lazyWithAntd); the promoter portal's first screen
 * is drawn without antd, which its other tabs download when opened.
 */
const LoginPage = lazyWithAntd(() => import("./LoginPage.tsx"), "LoginPage");
const Console = lazyWithAntd(() => withConsoleStrings(import("./console/ConsoleApp.tsx")), "default");
const Portal = lazy(() => import("./portal/PortalApp.tsx"));
const Platform = lazyWithAntd(() => withConsoleStrings(import("./platform/PlatformApp.tsx")), "default");
const Join = lazyWithAntd(() => import("./JoinPage.tsx"), "default");

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

export function App() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <BrowserRouter>
      <Suspense fallback={<Spinner label={t("common.loading")} style={{ padding: 80 }} />}>
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
  );
}
