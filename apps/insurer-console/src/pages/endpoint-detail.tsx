import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import type { RouterOutputs } from "../app-router.ts";
import { DeliveryCharts } from "../components/delivery-charts.tsx";
import { EndpointActions } from "../components/endpoint-actions.tsx";
import { EndpointHealth } from "../components/endpoint-health.tsx";
import { ErrorMessage, Loading } from "../components/feedback.tsx";
import { MessageLog } from "../components/message-log.tsx";
import { RecoverForm } from "../components/recover-form.tsx";
import { paths } from "../paths.ts";
import { trpc } from "../trpc.ts";

/**
 * One endpoint: health, actions, recovery, its deliveries over time and its message log
 * (staff: any; clinic: own).
 */
export function EndpointDetailPage({
  endpointId,
  principal,
}: {
  endpointId: string;
  principal: RouterOutputs["me"];
}) {
  const endpoint = useQuery(
    trpc.endpoints.byId.queryOptions({ endpointId }, { refetchInterval: 15_000 }),
  );
  const stats = useQuery(
    trpc.endpoints.stats.queryOptions({ endpointId }, { refetchInterval: 10_000 }),
  );
  const isStaff = principal.role === "insurer";
  return (
    <>
      <p className="breadcrumb">
        {isStaff && endpoint.data ? (
          <Link href={paths.clinic(endpoint.data.clinicId)}>Clinic endpoints</Link>
        ) : isStaff ? (
          <Link href={paths.clinics()}>Clinics</Link>
        ) : (
          <Link href={paths.endpoints()}>Your endpoints</Link>
        )}
      </p>
      <h1 className="url">Endpoint {endpoint.data?.url ?? endpointId}</h1>
      {endpoint.isPending ? <Loading what="the endpoint" /> : null}
      {endpoint.isError ? <ErrorMessage error={endpoint.error} /> : null}
      {endpoint.data ? (
        <>
          {endpoint.data.description ? <p>{endpoint.data.description}</p> : null}
          <section aria-labelledby="endpoint-health">
            <h2 id="endpoint-health">Health</h2>
            {stats.isError ? <ErrorMessage error={stats.error} /> : null}
            <EndpointHealth endpoint={endpoint.data} stats={stats.data} />
          </section>
          <EndpointActions endpoint={endpoint.data} canRotate={principal.role === "clinic"} />
          <RecoverForm endpointId={endpointId} />
          <DeliveryCharts endpointId={endpointId} />
          <MessageLog endpointId={endpointId} />
        </>
      ) : null}
    </>
  );
}
