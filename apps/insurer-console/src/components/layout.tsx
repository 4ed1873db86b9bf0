import { type ReactNode, useEffect, useRef } from "react";
import { Link, useLocation } from "wouter";
import type { RouterOutputs } from "../app-router.ts";
import { type NavSection, navSectionOf } from "../nav-section.ts";
import { paths } from "../paths.ts";

type Principal = RouterOutputs["me"];
type NavEntry = { to: string; label: string; section: NavSection };

const STAFF_NAV: NavEntry[] = [
  { to: paths.queue(), label: "Review queue", section: "queue" },
  { to: paths.overview(), label: "Delivery overview", section: "overview" },
  { to: paths.clinics(), label: "Clinics", section: "clinics" },
];
const CLINIC_NAV: NavEntry[] = [
  { to: paths.endpoints(), label: "Endpoints", section: "endpoints" },
];

export function Layout({
  principal,
  onSignOut,
  children,
}: {
  principal: Principal;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  // After client-side navigation, move focus to the new view (as a page load would), so
  // keyboard and screen reader users start at its content, not at the link they left.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [location]);

  const nav = principal.role === "insurer" ? STAFF_NAV : CLINIC_NAV;
  const current = navSectionOf(location, principal.role);
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="top-bar">
        <Link href={paths.home()} className="brand">
          claimwire <span>console</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                <Link href={item.to} aria-current={item.section === current ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {principal.role === "insurer" ? "Insurer staff" : `Clinic ${principal.clinicId}`}
          </span>
          <button type="button" className="button-quiet" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="content" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
