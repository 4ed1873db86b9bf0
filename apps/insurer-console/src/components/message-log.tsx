import type { Delivery, DeliveryStatus } from "@claimwire/contracts";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useId, useRef, useState } from "react";
import { describeFailure, formatDateTime } from "../format.ts";
import { logRefetchInterval } from "../log-follow.ts";
import { refreshEndpoint, useRefreshEndpoint } from "../refresh-endpoint.ts";
import { trpc } from "../trpc.ts";
import { useAwaitedAttempts } from "../use-awaited-attempts.ts";
import { BusyButton } from "./busy-button.tsx";
import { DeliveryAttempts } from "./delivery-attempts.tsx";
import { ActionResult, ErrorMessage, Loading } from "./feedback.tsx";
import { DELIVERY_STATUSES, DeliveryStatusBadge } from "./status-badge.tsx";

const PAGE_SIZE = 20;

/**
 * The endpoint's message log, newest first, a page at a time: each delivery (one event
 * to this endpoint) with its last result, a Resend button, and its attempts on demand.
 */
export function MessageLog({ endpointId }: { endpointId: string }) {
  const queryClient = useQueryClient();
  const filterId = useId();
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [result, setResult] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const refresh = useRefreshEndpoint(endpointId);
  const awaitAttempt = useAwaitedAttempts(refresh);

  const log = useInfiniteQuery(
    trpc.deliveries.list.infiniteQueryOptions(
      { endpointId, limit: PAGE_SIZE, ...(status ? { status } : {}) },
      {
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        refetchInterval: (query) =>
          logRefetchInterval(
            (query.state.data?.pages ?? []).flatMap((page) => page.items),
            Date.now(),
          ),
      },
    ),
  );

  // The log changed (an attempt landed, a delivery appeared): the endpoint's health, its
  // state and the open attempts come from the same attempts, so fetch them again too.
  // (Unchanged refetches keep the same data object: TanStack Query's structural sharing.)
  const shownLog = useRef(log.data);
  useEffect(() => {
    if (log.data === undefined || log.data === shownLog.current) return;
    const first = shownLog.current === undefined;
    shownLog.current = log.data;
    if (!first) void refreshEndpoint(queryClient, endpointId, { log: false });
  }, [log.data, queryClient, endpointId]);

  const resend = useMutation(
    trpc.deliveries.resend.mutationOptions({
      onMutate: () => setResult(null),
      onSuccess: (delivery) => {
        setResult(`Delivery ${delivery.id} queued to be sent again.`);
        // The call returns once the attempt is queued, before it is made.
        awaitAttempt(delivery.id, delivery.attemptCount);
      },
      onSettled: () => void refresh(),
    }),
  );

  function refreshNow() {
    setRefreshing(true);
    void refresh().finally(() => setRefreshing(false));
  }

  function toggle(deliveryId: string) {
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(deliveryId)) next.add(deliveryId);
      return next;
    });
  }

  const deliveries = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="message-log">
      <h2 id="message-log">Message log</h2>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={filterId}>Status</label>
          <select
            id={filterId}
            value={status}
            onChange={(event) => setStatus(event.target.value as DeliveryStatus | "")}
          >
            <option value="">All</option>
            {DELIVERY_STATUSES.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </div>
        <BusyButton className="button-quiet" busy={refreshing} onClick={refreshNow}>
          Refresh
        </BusyButton>
      </div>
      <ActionResult>{result}</ActionResult>
      {resend.isError ? <ErrorMessage error={resend.error} /> : null}
      {log.isPending ? <Loading what="the message log" /> : null}
      {log.isError ? <ErrorMessage error={log.error} /> : null}
      {log.data && deliveries.length === 0 ? (
        <p>No messages{status ? ` with status ${status}` : ""}.</p>
      ) : null}
      {deliveries.length > 0 ? (
        <div className="table-wrap">
          <table className="cards-on-phone message-log">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last result</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <Fragment key={delivery.id}>
                  <DeliveryRow
                    delivery={delivery}
                    expanded={open.has(delivery.id)}
                    onToggle={() => toggle(delivery.id)}
                    onResend={() => resend.mutate({ deliveryId: delivery.id })}
                    resending={resend.isPending && resend.variables?.deliveryId === delivery.id}
                  />
                  {open.has(delivery.id) ? (
                    <tr className="attempts-row" id={`attempts-${delivery.id}`}>
                      <td colSpan={6} className="wide">
                        <DeliveryAttempts deliveryId={delivery.id} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <BusyButton busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Load more
        </BusyButton>
      ) : null}
    </section>
  );
}

function DeliveryRow({
  delivery,
  expanded,
  onToggle,
  onResend,
  resending,
}: {
  delivery: Delivery;
  expanded: boolean;
  onToggle: () => void;
  onResend: () => void;
  resending: boolean;
}) {
  const lastResult =
    delivery.status === "delivered"
      ? `HTTP ${delivery.lastStatusCode ?? "2xx"}`
      : describeFailure(delivery.lastStatusCode, delivery.lastError);
  return (
    <tr data-delivery-id={delivery.id}>
      <td data-label="Created">
        <time dateTime={delivery.createdAt}>{formatDateTime(delivery.createdAt)}</time>
      </td>
      <td data-label="Event" className="wide">
        {delivery.eventType}
        <div className="id">{delivery.id}</div>
      </td>
      <td data-label="Status">
        <DeliveryStatusBadge status={delivery.status} />
        {delivery.nextAttemptAt && delivery.status === "retrying" ? (
          <div className="hint">next {formatDateTime(delivery.nextAttemptAt)}</div>
        ) : null}
      </td>
      <td data-label="Attempts" className="number">
        {delivery.attemptCount}
      </td>
      <td
        data-label="Last result"
        className={delivery.status === "failed" ? "wide error-text" : "wide"}
      >
        {lastResult}
      </td>
      <td data-label="Actions" className="wide row-actions">
        <button
          type="button"
          className="button-quiet"
          aria-expanded={expanded}
          aria-controls={expanded ? `attempts-${delivery.id}` : undefined}
          onClick={onToggle}
        >
          Attempts
        </button>
        <BusyButton busy={resending} onClick={onResend}>
          Resend
        </BusyButton>
      </td>
    </tr>
  );
}
