import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "../format.ts";
import { trpc } from "../trpc.ts";
import { ErrorMessage, Loading } from "./feedback.tsx";

/** Every attempt of one delivery, oldest first: status, duration, response body, error. */
export function DeliveryAttempts({ deliveryId }: { deliveryId: string }) {
  const attempts = useQuery(trpc.deliveries.attempts.queryOptions({ deliveryId }));
  if (attempts.isPending) return <Loading what="attempts" />;
  if (attempts.isError) return <ErrorMessage error={attempts.error} />;
  if (attempts.data.length === 0) return <p>No attempt yet.</p>;
  return (
    <ol className="attempts" aria-label={`Attempts of ${deliveryId}`}>
      {attempts.data.map((attempt) => (
        <li key={attempt.id} className={`attempt attempt-${attempt.outcome}`}>
          <p className="attempt-summary">
            <strong>
              #{attempt.attemptNumber} {attempt.outcome === "delivered" ? "Delivered" : "Failed"}
            </strong>
            {attempt.statusCode !== null ? <span>HTTP {attempt.statusCode}</span> : null}
            <span>{Math.round(attempt.durationMs)} ms</span>
            <span>{attempt.trigger === "manual" ? "manual" : "scheduled"}</span>
            <time dateTime={attempt.startedAt}>{formatDateTime(attempt.startedAt)}</time>
          </p>
          {attempt.error && attempt.error !== `HTTP ${attempt.statusCode}` ? (
            <p className="error-text">
              {attempt.errorClass && attempt.errorClass !== "http_status"
                ? `${attempt.errorClass}: `
                : ""}
              {attempt.error}
            </p>
          ) : null}
          {attempt.nextAttemptAt ? (
            <p className="hint">Next attempt {formatDateTime(attempt.nextAttemptAt)}</p>
          ) : null}
          <p className="response-label">Response body</p>
          <pre className="response">{attempt.responseBody || "(empty)"}</pre>
          {Object.keys(attempt.responseHeaders).length > 0 ? (
            <details>
              <summary>Response headers</summary>
              <pre className="response">
                {Object.entries(attempt.responseHeaders)
                  .map(([name, value]) => `${name}: ${value}`)
                  .join("\n")}
              </pre>
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
