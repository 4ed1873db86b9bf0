import { lazy, Suspense, useEffect, useRef } from "react";
import { Route, Switch, useLocation, useRoute } from "wouter";
import { StaffLayout } from "./components/staff-layout.tsx";
import { decodeSegment } from "./lib/path-segment.ts";
import { ClaimPage } from "./pages/claim-page.tsx";
import { ClaimsPage } from "./pages/claims-page.tsx";
import { InboxPage } from "./pages/inbox-page.tsx";
import { NotFoundPage } from "./pages/not-found-page.tsx";
import { PatientPage } from "./pages/patient-page.tsx";

// The form carries the contracts' schemas (zod): loaded only when someone opens it.
const NewClaimPage = lazy(() =>
  import("./pages/new-claim-page.tsx").then((module) => ({ default: module.NewClaimPage })),
);

/**
 * Which page each URL shows. The clinic answers index.html for all of them
 * (packages/clinic-api/src/web/web-app-routes.ts), so each can be bookmarked or reloaded.
 */
export function AppRoutes() {
  const [location] = useLocation();
  useFocusOnNavigation(location);
  return (
    <Switch>
      {/* The patient's page stands alone: no staff navigation, no live clinic feed. */}
      <Route path="/p/:token">{({ token }) => <PatientPage token={decodeSegment(token)} />}</Route>
      <Route>
        <StaffPages />
      </Route>
    </Switch>
  );
}

function StaffPages() {
  const [onList] = useRoute("/");
  const [onListAlias] = useRoute("/claims");
  const [onForm] = useRoute("/claims/new");
  const [onInbox] = useRoute("/inbox");
  const current =
    onList || onListAlias ? "claims" : onForm ? "new-claim" : onInbox ? "inbox" : null;
  return (
    <StaffLayout current={current}>
      <Switch>
        <Route path="/">
          <ClaimsPage />
        </Route>
        <Route path="/claims">
          <ClaimsPage />
        </Route>
        <Route path="/claims/new">
          <Suspense fallback={<p role="status">Loading the form…</p>}>
            <NewClaimPage />
          </Suspense>
        </Route>
        <Route path="/inbox">
          <InboxPage />
        </Route>
        <Route path="/claims/:claimId">
          {({ claimId }) => <ClaimPage claimId={decodeSegment(claimId)} />}
        </Route>
        <Route>
          <NotFoundPage />
        </Route>
      </Switch>
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
