import { useQuery } from "@tanstack/react-query";
import { clearApiKey, useApiKey } from "./api-key.ts";
import type { RouterOutputs } from "./app-router.ts";
import { ErrorMessage, Loading } from "./components/feedback.tsx";
import { Layout } from "./components/layout.tsx";
import { usePath } from "./navigation.tsx";
import { ClaimDetailPage } from "./pages/claim-detail.tsx";
import { ClinicEndpointsPage } from "./pages/clinic-endpoints.tsx";
import { ClinicsPage } from "./pages/clinics.tsx";
import { EndpointDetailPage } from "./pages/endpoint-detail.tsx";
import { NotFoundPage } from "./pages/not-found.tsx";
import { OwnEndpointsPage } from "./pages/own-endpoints.tsx";
import { ReviewQueuePage } from "./pages/review-queue.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { matchRoute } from "./routes.ts";
import { queryClient, trpc } from "./trpc.ts";

type Principal = RouterOutputs["me"];

export function App() {
  const apiKey = useApiKey();
  return apiKey ? <SignedIn /> : <SignInPage />;
}

function signOut() {
  clearApiKey();
  queryClient.clear();
}

/** `me` says whose key this is; staff and clinics get different views. */
function SignedIn() {
  const me = useQuery(trpc.me.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }));
  if (me.isPending) {
    return (
      <main id="content">
        <Loading what="your account" />
      </main>
    );
  }
  if (me.isError) {
    return (
      <main id="content">
        <h1>claimwire insurer console</h1>
        <ErrorMessage error={me.error}>
          <button type="button" onClick={() => void me.refetch()}>
            Try again
          </button>{" "}
          <button type="button" className="button-quiet" onClick={signOut}>
            Sign out
          </button>
        </ErrorMessage>
      </main>
    );
  }
  return (
    <Layout principal={me.data} onSignOut={signOut}>
      <CurrentView principal={me.data} />
    </Layout>
  );
}

const STAFF_ONLY = "This view is for insurer staff.";

function CurrentView({ principal }: { principal: Principal }) {
  const route = matchRoute(usePath());
  const isStaff = principal.role === "insurer";
  switch (route.view) {
    case "home":
      return isStaff ? <ReviewQueuePage /> : <OwnEndpointsPage />;
    case "queue":
      return isStaff ? <ReviewQueuePage /> : <NotFoundPage message={STAFF_ONLY} />;
    case "claim":
      return isStaff ? (
        <ClaimDetailPage claimId={route.claimId} />
      ) : (
        <NotFoundPage message={STAFF_ONLY} />
      );
    case "clinics":
      return isStaff ? <ClinicsPage /> : <NotFoundPage message={STAFF_ONLY} />;
    case "clinic":
      return isStaff ? (
        <ClinicEndpointsPage clinicId={route.clinicId} />
      ) : (
        <NotFoundPage message={STAFF_ONLY} />
      );
    case "endpoints":
      return isStaff ? <ClinicsPage /> : <OwnEndpointsPage />;
    case "endpoint":
      // Keyed so that another endpoint's view starts with fresh form state.
      return (
        <EndpointDetailPage
          key={route.endpointId}
          endpointId={route.endpointId}
          principal={principal}
        />
      );
    case "not-found":
      return <NotFoundPage message={`Nothing lives at /console/${route.path}.`} />;
  }
}
