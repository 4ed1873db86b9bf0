import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { LanguageSwitch } from "../i18n/language-switch.tsx";
import { LiveStatus } from "./live-status.tsx";

/** The staff pages' frame: skip link, header with the main navigation and live status. */
export function StaffLayout({
  current,
  children,
}: {
  /** The navigation entry to mark as the current page, if any. */
  current: "claims" | "new-claim" | "inbox" | null;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("layout.skip")}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href="/" className="brand">
            {t("layout.brand")}
          </Link>
          <nav aria-label={t("layout.nav")}>
            <ul>
              <li>
                <Link href="/" aria-current={current === "claims" ? "page" : undefined}>
                  {t("layout.claims")}
                </Link>
              </li>
              <li>
                <Link
                  href="/claims/new"
                  aria-current={current === "new-claim" ? "page" : undefined}
                >
                  {t("layout.newClaim")}
                </Link>
              </li>
              <li>
                <Link href="/inbox" aria-current={current === "inbox" ? "page" : undefined}>
                  {t("layout.inbox")}
                </Link>
              </li>
            </ul>
          </nav>
          <LiveStatus />
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
