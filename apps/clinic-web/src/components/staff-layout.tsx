import type { ReactNode } from "react";
import { Link } from "wouter";
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
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href="/" className="brand">
            Clinic claims
          </Link>
          <nav aria-label="Main">
            <ul>
              <li>
                <Link href="/" aria-current={current === "claims" ? "page" : undefined}>
                  Claims
                </Link>
              </li>
              <li>
                <Link
                  href="/claims/new"
                  aria-current={current === "new-claim" ? "page" : undefined}
                >
                  New claim
                </Link>
              </li>
              <li>
                <Link href="/inbox" aria-current={current === "inbox" ? "page" : undefined}>
                  Inbox
                </Link>
              </li>
            </ul>
          </nav>
          <LiveStatus />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
