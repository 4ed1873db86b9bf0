import type { Endpoint } from "@claimwire/contracts";
import type { RouterOutputs } from "../app-router.ts";
import {
  describeFailure,
  formatDateTime,
  formatPayloadFilter,
  formatPercent,
  plural,
} from "../format.ts";
import { disabledReasonLabel, EndpointStateBadge } from "./status-badge.tsx";

type EndpointStats = RouterOutputs["endpoints"]["stats"];

/** An endpoint's settings and health, as facts. */
export function EndpointHealth({
  endpoint,
  stats,
}: {
  endpoint: Endpoint;
  stats: EndpointStats | undefined;
}) {
  return (
    <dl className="facts">
      <div>
        <dt>State</dt>
        <dd>
          <EndpointStateBadge enabled={endpoint.enabled} disabledReason={endpoint.disabledReason} />
          {!endpoint.enabled && endpoint.disabledAt ? (
            <div className="hint">
              Since {formatDateTime(endpoint.disabledAt)}
              {endpoint.disabledReason ? `: ${disabledReasonLabel(endpoint.disabledReason)}` : ""}
            </div>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>Success rate</dt>
        <dd>
          {stats ? formatPercent(stats.successRate) : "…"}
          {stats ? (
            <div className="hint">
              {stats.successes} of {plural(stats.attempts, "attempt")} succeeded
            </div>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>Last error</dt>
        <dd>
          {stats?.lastError ? (
            <>
              <span className="error-text">
                {describeFailure(stats.lastError.statusCode, stats.lastError.message)}
              </span>
              <div className="hint">{formatDateTime(stats.lastError.at)}</div>
            </>
          ) : stats ? (
            "None"
          ) : (
            "…"
          )}
        </dd>
      </div>
      <div>
        <dt>Failing since</dt>
        <dd>{endpoint.failingSince ? formatDateTime(endpoint.failingSince) : "Healthy"}</dd>
      </div>
      <div>
        <dt>Last success</dt>
        <dd>{stats ? formatDateTime(stats.lastSuccessAt) : "…"}</dd>
      </div>
      <div>
        <dt>Deliveries</dt>
        <dd>
          {stats
            ? `${stats.deliveries.delivered} delivered, ${stats.deliveries.pending} waiting, ${stats.deliveries.failed} failed`
            : "…"}
        </dd>
      </div>
      <div>
        <dt>Events</dt>
        <dd>{endpoint.eventTypes.join(", ")}</dd>
      </div>
      <div>
        <dt>Payload filter</dt>
        <dd>
          {endpoint.payloadFilter ? (
            <>
              <pre className="response">{formatPayloadFilter(endpoint.payloadFilter)}</pre>
              <div className="hint">Only events whose body matches are delivered</div>
            </>
          ) : (
            "None: every event of these types"
          )}
        </dd>
      </div>
      <div>
        <dt>Signature</dt>
        <dd>{endpoint.signatureScheme}</dd>
      </div>
      <div>
        <dt>Endpoint id</dt>
        <dd className="id">{endpoint.id}</dd>
      </div>
    </dl>
  );
}
