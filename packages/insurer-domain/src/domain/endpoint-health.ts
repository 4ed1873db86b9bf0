import {
  type Endpoint,
  EndpointDisabledEventSchema,
  type EndpointDisabledReason,
} from "@claimwire/contracts";
import { deliveries, endpoints } from "@claimwire/insurer-db";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Principal } from "./api-keys.ts";
import { syncEndpointConfig } from "./endpoint-config.ts";
import { type EndpointRow, findEndpoint, toEndpoint } from "./endpoints.ts";
import { appendEvent, type Tx } from "./outbox.ts";
import type { Services } from "./services.ts";

/**
 * Disables an endpoint inside the caller's transaction: marks it with
 * its reason, turns its waiting retries into failed deliveries (recoverable once it is
 * enabled again) and appends the operational `endpoint.disabled` event to the clinic's
 * event log, which fan-out delivers to the clinic's other enabled endpoints subscribed to
 * it. After the commit the caller must sync the KV config (enabled=false) and notify the
 * outbox. Returns null when the endpoint was already disabled (no second event).
 */
export function disableEndpointInTx(
  tx: Tx,
  row: EndpointRow,
  reason: EndpointDisabledReason,
  at: string,
): EndpointRow | null {
  if (!row.enabled) return null;
  const disabled = tx
    .update(endpoints)
    .set({ enabled: false, disabledReason: reason, disabledAt: at })
    .where(and(eq(endpoints.id, row.id), eq(endpoints.enabled, true)))
    .returning()
    .get();
  if (!disabled) return null;
  // Waiting attempts would only fail against a disabled endpoint: dead-letter them now
  // (a pending resend of a delivered one is dropped). Deliveries in flight are failed by
  // the recorder when their report comes.
  tx.update(deliveries)
    .set({
      status: sql`case when ${deliveries.status} = 'delivered' then 'delivered' else 'failed' end`,
      nextAttemptAt: null,
    })
    .where(and(eq(deliveries.endpointId, row.id), isNotNull(deliveries.nextAttemptAt)))
    .run();
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
  appendEvent(tx, event, at);
  return disabled;
}

/** The explicit disable (reason "manual"): a clinic its own endpoints, staff any. Idempotent. */
export async function disableEndpoint(
  services: Services,
  viewer: Principal,
  endpointId: string,
): Promise<Endpoint> {
  const at = new Date().toISOString();
  const { row, changed } = services.db.transaction(
    (tx) => {
      const current = findEndpoint(tx, viewer, endpointId);
      const disabled = disableEndpointInTx(tx, current, "manual", at);
      return { row: disabled ?? current, changed: disabled !== null };
    },
    { behavior: "immediate" },
  );
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
  const row = services.db.transaction(
    (tx) => {
      const current = findEndpoint(tx, viewer, endpointId);
      if (current.enabled) return current;
      return tx
        .update(endpoints)
        .set({ enabled: true, disabledReason: null, disabledAt: null, failingSince: null })
        .where(eq(endpoints.id, current.id))
        .returning()
        .get()!;
    },
    { behavior: "immediate" },
  );
  await syncEndpointConfig(services, endpointId);
  return toEndpoint(row);
}
