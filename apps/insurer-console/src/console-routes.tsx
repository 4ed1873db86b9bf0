import type { ReactNode } from "react";
import { Route, Switch, useLocation } from "wouter";
import type { RouterOutputs } from "./app-router.ts";
import { ClaimDetailPage } from "./pages/claim-detail.tsx";
import { ClinicEndpointsPage } from "./pages/clinic-endpoints.tsx";
import { ClinicsPage } from "./pages/clinics.tsx";
import { EndpointDetailPage } from "./pages/endpoint-detail.tsx";
import { NotFoundPage } from "./pages/not-found.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { OwnEndpointsPage } from "./pages/own-endpoints.tsx";
import { ReviewQueuePage } from "./pages/review-queue.tsx";
import { decodeSegment } from "./path-segment.ts";

type Principal = RouterOutputs["me"];

const STAFF_ONLY = "This view is for insurer staff.";

/**
 * Which view each path below /console/ shows (paths.ts builds the links), by role: staff
 * get the review queue, claims, the delivery overview and every clinic; a clinic gets its own endpoints. The
 * insurer answers index.html for every path below /console/, so each can be bookmarked.
 */
export function ConsoleRoutes({ principal }: { principal: Principal }) {
  const isStaff = principal.role === "insurer";
  const staffOnly = (view: ReactNode) => (isStaff ? view : <NotFoundPage message={STAFF_ONLY} />);
  return (
    <Switch>
      <Route path="/">{isStaff ? <ReviewQueuePage /> : <OwnEndpointsPage />}</Route>
      <Route path="/queue">{staffOnly(<ReviewQueuePage />)}</Route>
      <Route path="/overview">{staffOnly(<OverviewPage />)}</Route>
      <Route path="/claims/:claimId">
        {({ claimId }) => staffOnly(<ClaimDetailPage claimId={decodeSegment(claimId)} />)}
      </Route>
      <Route path="/clinics">{staffOnly(<ClinicsPage />)}</Route>
      <Route path="/clinics/:clinicId">
        {({ clinicId }) => staffOnly(<ClinicEndpointsPage clinicId={decodeSegment(clinicId)} />)}
      </Route>
      <Route path="/endpoints">{isStaff ? <ClinicsPage /> : <OwnEndpointsPage />}</Route>
      <Route path="/endpoints/:endpointId">
        {({ endpointId }) => (
          // Keyed so that another endpoint's view starts with fresh form state.
          <EndpointDetailPage
            key={endpointId}
            endpointId={decodeSegment(endpointId)}
            principal={principal}
          />
        )}
      </Route>
      <Route>
        <NothingHere />
      </Route>
    </Switch>
  );
}

function NothingHere() {
  const [location] = useLocation();
  return <NotFoundPage message={`Nothing lives at /console${location}.`} />;
}
