import { type ReactNode, useEffect, useRef } from "react";
import type { RouterOutputs } from "../app-router.ts";
import { Link, usePath } from "../navigation.tsx";
import { paths } from "../routes.ts";

type Principal = RouterOutputs["me"];

const STAFF_NAV = [
  { to: paths.queue(), label: "Review queue", section: "queue" },
  { to: paths.clinics(), label: "Clinics", section: "clinics" },
];
const CLINIC_NAV = [{ to: paths.endpoints(), label: "Endpoints", section: "endpoints" }];

/** Which nav entry the current path belongs to ("" is each role's home). */
function sectionOf(path: string, principal: Principal): string {
  const first = path.split("/")[0] ?? "";
  if (first === "") return principal.role === "insurer" ? "queue" : "endpoints";
  if (first === "claims") return "queue";
  if (first === "endpoints" && principal.role === "insurer") return "clinics";
  return first;
}

export function Layout({
  principal,
  onSignOut,
  children,
}: {
  principal: Principal;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const path = usePath();
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
  }, [path]);

  const nav = principal.role === "insurer" ? STAFF_NAV : CLINIC_NAV;
  const current = sectionOf(path, principal);
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="top-bar">
        <Link to="" className="brand">
          claimwire <span>console</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={item.section === current ? "page" : undefined}>
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
