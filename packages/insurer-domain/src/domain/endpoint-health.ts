import {
  type Endpoint,
  EndpointDisabledEventSchema,
  type EndpointDisabledReason,
} from "@claimwire/contracts";
import type { Db, Store } from "@claimwire/insurer-db";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Principal } from "./api-keys.ts";
import { syncEndpointConfig } from "./endpoint-config.ts";
import { type EndpointRow, findEndpoint, toEndpoint } from "./endpoints.ts";
import { appendEvent } from "./outbox.ts";
import type { Services } from "./services.ts";

/**
 * Disables an endpoint inside the caller's transaction: marks it with
 * its reason, turns its waiting retries into failed deliveries (recoverable once it is
 * enabled again) and appends the operational `endpoint.disabled` event to the clinic's
 * event log, which fan-out delivers to the clinic's other enabled endpoints subscribed to
 * it. After the commit the caller must sync the KV config (enabled=false) and notify the
 * outbox. Returns null when the endpoint was already disabled (no second event).
 */
export async function disableEndpointInTx(
  store: Store,
  tx: Db,
  row: EndpointRow,
  reason: EndpointDisabledReason,
  at: string,
): Promise<EndpointRow | null> {
  if (!row.enabled) return null;
  const { deliveries, endpoints } = store.tables;
  const [disabled] = await tx
    .update(endpoints)
    .set({ enabled: false, disabledReason: reason, disabledAt: at })
    .where(and(eq(endpoints.id, row.id), eq(endpoints.enabled, true)))
    .returning();
  if (!disabled) return null;
  // Waiting attempts would only fail against a disabled endpoint: dead-letter them now
  // (a pending resend of a delivered one is dropped). Deliveries in flight are failed by
  // the recorder when their report comes.
  await tx
    .update(deliveries)
    .set({
      status: sql`case when ${deliveries.status} = 'delivered' then 'delivered' else 'failed' end`,
      nextAttemptAt: null,
    })
    .where(and(eq(deliveries.endpointId, row.id), isNotNull(deliveries.nextAttemptAt)));
  const event = EndpointDisabledEventSchema.parse({
    type: "endpoint.disabled",
    timestamp: at,
    data: {
      endpointId: row.id,
      clinicId: row.clinicId,
      url: row.url,
      reason,
      failingSince: row.failingSince,
      disabledAt: at,
    },
  });
  await appendEvent(store, tx, event, at);
  return disabled;
}

/** The explicit disable (reason "manual"): a clinic its own endpoints, staff any. Idempotent. */
export async function disableEndpoint(
  services: Services,
  viewer: Principal,
  endpointId: string,
): Promise<Endpoint> {
  const at = new Date().toISOString();
  const { store } = services;
  const { row, changed } = await store.transaction(async (tx) => {
    const current = await findEndpoint(store, tx, viewer, endpointId);
    const disabled = await disableEndpointInTx(store, tx, current, "manual", at);
    return { row: disabled ?? current, changed: disabled !== null };
  });
  if (changed) {
    services.outbox.notify();
    await syncEndpointConfig(services, endpointId);
  }
  return toEndpoint(row);
}

/**
 * Re-enabling is always explicit. It starts a fresh health record (failing_since
 * cleared); deliveries that failed meanwhile stay failed until recovered
 * (`endpoints.recover`). Idempotent.
 */
export async function enableEndpoint(
  services: Services,
  viewer: Principal,
  endpointId: string,
): Promise<Endpoint> {
  const { store } = services;
  const { endpoints } = store.tables;
  const row = await store.transaction(async (tx) => {
    const current = await findEndpoint(store, tx, viewer, endpointId);
    if (current.enabled) return current;
    const [enabled] = await tx
      .update(endpoints)
      .set({ enabled: true, disabledReason: null, disabledAt: null, failingSince: null })
      .where(eq(endpoints.id, current.id))
      .returning();
    return enabled ?? current;
  });
  await syncEndpointConfig(services, endpointId);
  return toEndpoint(row);
}
