import type { WebhookEvent } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { type Db, preparedStatement, type Store } from "@claimwire/insurer-db";
import { eq, sql } from "drizzle-orm";
import { endpointReceives } from "./endpoint-subscription.ts";

/** Rows per INSERT: 10 bound values each, well under SQLite's limit of 32,766 per statement. */
const INSERT_CHUNK = 500;

/** What deciding whether an endpoint gets an event needs, for every endpoint of a clinic. */
const clinicEndpoints = preparedStatement("clinic_endpoints_for_fan_out", (db, { endpoints }) =>
  db
    .select({
      id: endpoints.id,
      eventTypes: endpoints.eventTypes,
      payloadFilter: endpoints.payloadFilter,
      enabled: endpoints.enabled,
      disabledReason: endpoints.disabledReason,
    })
    .from(endpoints)
    .where(eq(endpoints.clinicId, sql.placeholder("clinicId"))),
);

export type FannedOut = { deliveryId: string; endpointId: string };

/**
 * Records the deliveries an event needs, inside the transaction that commits the event:
 * one per endpoint of its clinic that receives it (endpointReceives: its event types and
 * payload filter; an endpoint whose filter the event fails gets no row). An enabled
 * endpoint's delivery is due at once ("sending", attempt 1 waiting for the dispatcher);
 * a disabled endpoint's is "failed" at once, without a request, so it can be recovered
 * after the endpoint is enabled again. Returns the deliveries it created.
 */
export async function fanOutInTx(
  store: Store,
  tx: Db,
  event: { id: string; clinicId: string; payload: WebhookEvent },
  at: string,
): Promise<FannedOut[]> {
  const { deliveries } = store.tables;
  const receiving = (await clinicEndpoints(store, tx).execute({ clinicId: event.clinicId })).filter(
    (endpoint) => endpointReceives(endpoint, event.payload),
  );
  const rows = receiving.map((endpoint) => ({
    id: newId("delivery"),
    eventId: event.id,
    endpointId: endpoint.id,
    createdAt: at,
    ...(endpoint.enabled
      ? { status: "sending" as const, attemptCount: 0, nextAttemptAt: at }
      : {
          status: "failed" as const,
          attemptCount: 0,
          lastErrorClass: "endpoint_disabled" as const,
          lastError: `Endpoint disabled ('${endpoint.disabledReason}') when the event was committed`,
        }),
  }));
  // One multi-row statement per chunk: a fan-out to 1,000 endpoints is two statements.
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx.insert(deliveries).values(rows.slice(i, i + INSERT_CHUNK));
  }
  return rows.map((row) => ({ deliveryId: row.id, endpointId: row.endpointId }));
}
