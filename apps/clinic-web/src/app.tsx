import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useEffect, useRef, useState } from "react";
import { LiveStatus } from "./components/live-status.tsx";
import { ClaimPage } from "./pages/claim-page.tsx";
import { ClaimsPage } from "./pages/claims-page.tsx";
import { NotFoundPage } from "./pages/not-found-page.tsx";
import { PatientPage } from "./pages/patient-page.tsx";
import { Link, matchRoute, usePath } from "./router.tsx";
import { createClinicClient, createQueryClient, TRPCProvider } from "./trpc.ts";

// The form carries the contracts' schemas (zod): loaded only when someone opens it.
const NewClaimPage = lazy(() =>
  import("./pages/new-claim-page.tsx").then((module) => ({ default: module.NewClaimPage })),
);

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createClinicClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <Pages />
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function Pages() {
  const path = usePath();
  const route = matchRoute(path);
  useFocusOnNavigation(path);
  // The patient's page stands alone: no staff navigation, no live clinic feed.
  if (route.page === "patient") return <PatientPage token={route.token} />;
  return (
    <StaffLayout current={route.page}>
      {route.page === "claims" && <ClaimsPage />}
      {route.page === "new-claim" && (
        <Suspense fallback={<p role="status">Loading the form…</p>}>
          <NewClaimPage />
        </Suspense>
      )}
      {route.page === "claim" && <ClaimPage claimId={route.claimId} />}
      {route.page === "not-found" && <NotFoundPage />}
    </StaffLayout>
  );
}

/**
 * After a navigation inside the app (not the first load), focus moves to the new page's
 * main content, as it would after a full page load, so keyboard and screen-reader users
 * start there.
 */
function useFocusOnNavigation(path: string) {
  const firstPath = useRef(path);
  useEffect(() => {
    if (path !== firstPath.current) document.getElementById("main")?.focus();
    firstPath.current = "";
  }, [path]);
}

function StaffLayout({ current, children }: { current: string; children: ReactNode }) {
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
