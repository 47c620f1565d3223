// The shell (skip link, header, navigation, language) and the client-side routes.
import { useEffect, type ReactNode } from "react";
import { Link, Redirect, Route, Switch, useLocation } from "wouter";
import type { Language } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { AnalysisPage } from "../pages/Analysis";
import { GhostPage } from "../pages/Ghost";
import { HistoryPage } from "../pages/History";
import { LoginPage, RegisterPage } from "../pages/Auth";
import { NotFoundPage } from "../pages/NotFound";
import { ProfilePage } from "../pages/Profile";
import { RoutePage } from "../pages/RouteEditor";
import { RoutesPage } from "../pages/Routes";
import { StatsPage } from "../pages/Stats";
import { UploadPage } from "../pages/Upload";
import { LanguageOptions } from "./LanguageOptions";
import { useSession } from "./session";

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  const current = location === href || (href !== "/" && location.startsWith(href + "/"));
  return (
    <Link href={href} aria-current={current ? "page" : undefined} className={current ? "active" : undefined}>
      {children}
    </Link>
  );
}

function Header() {
  const { t, lang, setLanguage } = useI18n();
  const { user, api, setNotice } = useSession();
  const [, navigate] = useLocation();
  return (
    <header className="site-header">
      <Link href={user ? "/upload" : "/login"} className="brand">
        <svg aria-hidden="true" viewBox="0 0 16 16" width="22" height="22">
          <path d="M1 15 8 1l7 14z" fill="currentColor" />
        </svg>
        {t("app.name")}
      </Link>
      {user && (
        <nav aria-label={t("nav.label")}>
          <ul>
            <li>
              <NavLink href="/upload">{t("nav.upload")}</NavLink>
            </li>
            <li>
              <NavLink href="/history">{t("nav.history")}</NavLink>
            </li>
            <li>
              <NavLink href="/routes">{t("nav.routes")}</NavLink>
            </li>
            <li>
              <NavLink href="/stats">{t("nav.stats")}</NavLink>
            </li>
            <li>
              <NavLink href="/profile">{t("nav.profile")}</NavLink>
            </li>
          </ul>
        </nav>
      )}
      <div className="header-tools">
        <label htmlFor="interface-language" className="visually-hidden">
          {t("app.interfaceLanguage")}
        </label>
        <select id="interface-language" value={lang} onChange={(e) => setLanguage(e.target.value as Language)}>
          <LanguageOptions />
        </select>
        {user && (
          <button
            type="button"
            className="link-button"
            onClick={async () => {
              await api.logout();
              setNotice("session.loggedOut");
              navigate("/login");
            }}
          >
            {t("nav.logout")}
          </button>
        )}
      </div>
    </header>
  );
}

/** Pages for signed-in climbers; others are sent to the login page and brought back after. */
function Private({ children }: { children: ReactNode }) {
  const { user, ready } = useSession();
  const [location] = useLocation();
  const { t } = useI18n();
  if (!ready) return <p className="loading">{t("app.loading")}</p>;
  if (!user) return <Redirect to={`/login?next=${encodeURIComponent(location)}`} replace />;
  return <>{children}</>;
}

function Public({ children }: { children: ReactNode }) {
  const { user, ready } = useSession();
  const { t } = useI18n();
  if (!ready) return <p className="loading">{t("app.loading")}</p>;
  if (user) {
    const next = new URLSearchParams(window.location.search).get("next");
    // Only a path of this site: never an address elsewhere.
    const safe = next && next.startsWith("/") && !next.startsWith("//") ? next : "/upload";
    return <Redirect to={safe} replace />;
  }
  return <>{children}</>;
}

export function App() {
  const { t } = useI18n();
  const [location] = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location]);
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Switch>
          <Route path="/">
            <Private>
              <Redirect to="/upload" replace />
            </Private>
          </Route>
          <Route path="/login">
            <Public>
              <LoginPage />
            </Public>
          </Route>
          <Route path="/register">
            <Public>
              <RegisterPage />
            </Public>
          </Route>
          <Route path="/upload">
            <Private>
              <UploadPage />
            </Private>
          </Route>
          <Route path="/analyses/:id">
            {(params) => (
              <Private>
                <AnalysisPage id={params.id} />
              </Private>
            )}
          </Route>
          <Route path="/history">
            <Private>
              <HistoryPage />
            </Private>
          </Route>
          <Route path="/routes">
            <Private>
              <RoutesPage />
            </Private>
          </Route>
          <Route path="/routes/:id/ghost">
            {(params) => (
              <Private>
                <GhostPage id={params.id} />
              </Private>
            )}
          </Route>
          <Route path="/routes/:id">
            {(params) => (
              <Private>
                <RoutePage id={params.id} />
              </Private>
            )}
          </Route>
          <Route path="/stats">
            <Private>
              <StatsPage />
            </Private>
          </Route>
          <Route path="/profile">
            <Private>
              <ProfilePage />
            </Private>
          </Route>
          <Route>
            <NotFoundPage />
          </Route>
        </Switch>
      </main>
      <footer className="site-footer">{t("app.footer")}</footer>
    </>
  );
}
