import type { OverviewEndpoint } from "@claimwire/contracts";
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { OutcomeChart } from "../charts/outcome-chart.tsx";
import { ErrorMessage, Loading } from "../components/feedback.tsx";
import { disabledReasonLabel } from "../components/status-badge.tsx";
import { formatDateTime, formatDuration, plural } from "../format.ts";
import { paths } from "../paths.ts";
import { trpc } from "../trpc.ts";

/**
 * Staff's view of delivery across every clinic (`ops.overview`): attempts per minute for
 * the last hour, the failing and the disabled endpoints (linked), and how long the oldest
 * undelivered message has waited. Fetched every 15 s.
 */
export function OverviewPage() {
  const overview = useQuery(trpc.ops.overview.queryOptions(undefined, { refetchInterval: 15_000 }));
  const data = overview.data;
  return (
    <>
      <h1>Delivery overview</h1>
      {overview.isPending ? <Loading what="the overview" /> : null}
      {overview.isError ? <ErrorMessage error={overview.error} /> : null}
      {data ? (
        <>
          <dl className="facts">
            <div>
              <dt>Failing endpoints</dt>
              <dd>{data.failingEndpoints.count}</dd>
            </div>
            <div>
              <dt>Disabled endpoints</dt>
              <dd>{data.disabledEndpoints.count}</dd>
            </div>
            <div>
              <dt>Oldest undelivered</dt>
              <dd>
                {data.oldestUndelivered ? (
                  <>
                    waiting {formatDuration(data.oldestUndelivered.ageMs)}
                    <div className="hint">
                      since {formatDateTime(data.oldestUndelivered.createdAt)},{" "}
                      <Link href={paths.endpoint(data.oldestUndelivered.endpointId)}>
                        its endpoint
                      </Link>
                    </div>
                  </>
                ) : (
                  "None: every delivery is settled"
                )}
              </dd>
            </div>
          </dl>
          <section aria-labelledby="per-minute">
            <h2 id="per-minute">Deliveries per minute</h2>
            <OutcomeChart
              title="Attempts per minute, last hour"
              buckets={data.perMinute}
              grain="minute"
            />
          </section>
          <EndpointGroup
            id="failing-endpoints"
            title="Failing endpoints"
            group={data.failingEndpoints}
            none="No enabled endpoint is failing."
            detail={(e) =>
              e.failingSince ? `failing since ${formatDateTime(e.failingSince)}` : ""
            }
          />
          <EndpointGroup
            id="disabled-endpoints"
            title="Disabled endpoints"
            group={data.disabledEndpoints}
            none="No endpoint is disabled."
            detail={(e) =>
              [
                e.disabledReason ? disabledReasonLabel(e.disabledReason) : null,
                e.disabledAt ? `since ${formatDateTime(e.disabledAt)}` : null,
              ]
                .filter(Boolean)
                .join(", ")
            }
          />
        </>
      ) : null}
    </>
  );
}

function EndpointGroup({
  id,
  title,
  group,
  none,
  detail,
}: {
  id: string;
  title: string;
  group: { count: number; endpoints: OverviewEndpoint[] };
  none: string;
  detail: (endpoint: OverviewEndpoint) => string;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} ({group.count})
      </h2>
      {group.count === 0 ? (
        <p className="hint">{none}</p>
      ) : (
        <>
          <ul className="endpoint-links">
            {group.endpoints.map((endpoint) => (
              <li key={endpoint.id}>
                <Link href={paths.endpoint(endpoint.id)} className="url">
                  {endpoint.url}
                </Link>{" "}
                <span className="hint">
                  {detail(endpoint)} · <Link href={paths.clinic(endpoint.clinicId)}>clinic</Link>
                </span>
              </li>
            ))}
          </ul>
          {group.count > group.endpoints.length ? (
            <p className="hint">
              {plural(group.endpoints.length, "endpoint")} of {group.count} shown, the longest in
              this state first.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
