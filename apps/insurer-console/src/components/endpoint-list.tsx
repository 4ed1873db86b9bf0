import type { Endpoint } from "@claimwire/contracts";
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import {
  describeFailure,
  formatDateTime,
  formatPayloadFilter,
  formatPercent,
  plural,
} from "../format.ts";
import { paths } from "../paths.ts";
import { trpc } from "../trpc.ts";
import { ErrorMessage, Loading } from "./feedback.tsx";
import { EndpointStateBadge } from "./status-badge.tsx";

/**
 * A clinic's endpoints with their health: state (and why disabled), success rate, last
 * error, deliveries waiting. Staff name the clinic; a clinic sees its own.
 */
export function EndpointList({ clinicId }: { clinicId?: string }) {
  const endpoints = useQuery(
    trpc.endpoints.list.queryOptions(clinicId ? { clinicId } : undefined, {
      refetchInterval: 15_000,
    }),
  );
  if (endpoints.isPending) return <Loading what="endpoints" />;
  if (endpoints.isError) return <ErrorMessage error={endpoints.error} />;
  if (endpoints.data.length === 0) return <p>No webhook endpoints yet.</p>;
  return (
    <div className="table-wrap">
      <table className="cards-on-phone">
        <caption>
          {plural(endpoints.data.length, "endpoint")}; open one for its message log and actions
        </caption>
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">State</th>
            <th scope="col">Success rate</th>
            <th scope="col">Last error</th>
            <th scope="col">Waiting / failed</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.data.map((endpoint) => (
            <EndpointRow key={endpoint.id} endpoint={endpoint} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EndpointRow({ endpoint }: { endpoint: Endpoint }) {
  // One query per row; httpBatchLink sends the rows' calls in one request.
  const stats = useQuery(
    trpc.endpoints.stats.queryOptions({ endpointId: endpoint.id }, { refetchInterval: 15_000 }),
  );
  return (
    <tr>
      <td data-label="Endpoint" className="wide">
        <Link href={paths.endpoint(endpoint.id)} className="url">
          {endpoint.url}
        </Link>
        {endpoint.description ? <div className="hint">{endpoint.description}</div> : null}
        {endpoint.payloadFilter ? (
          <div className="hint" title={formatPayloadFilter(endpoint.payloadFilter)}>
            Filtered by payload
          </div>
        ) : null}
        <div className="id">{endpoint.id}</div>
      </td>
      <td data-label="State">
        <EndpointStateBadge enabled={endpoint.enabled} disabledReason={endpoint.disabledReason} />
      </td>
      {stats.isError ? (
        <td data-label="Health" colSpan={3} className="wide">
          <span className="error-text">Health unavailable</span>
        </td>
      ) : (
        <>
          <td data-label="Success rate" className="number">
            {stats.data ? formatPercent(stats.data.successRate) : "…"}
            {stats.data ? (
              <div className="hint">{plural(stats.data.attempts, "attempt")}</div>
            ) : null}
          </td>
          <td data-label="Last error" className="wide">
            {stats.data?.lastError ? (
              <>
                <span className="error-text">
                  {describeFailure(stats.data.lastError.statusCode, stats.data.lastError.message)}
                </span>
                <div className="hint">{formatDateTime(stats.data.lastError.at)}</div>
              </>
            ) : stats.data ? (
              "None"
            ) : (
              "…"
            )}
          </td>
          <td data-label="Waiting / failed" className="number">
            {stats.data
              ? `${stats.data.deliveries.pending} / ${stats.data.deliveries.failed}`
              : "…"}
          </td>
        </>
      )}
    </tr>
  );
}
