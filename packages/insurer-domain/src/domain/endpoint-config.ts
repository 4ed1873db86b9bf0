import type { Tables } from "@claimwire/insurer-db";
import { deleteEndpointConfig, type EndpointConfig, putEndpointConfig } from "@claimwire/queue";
import { eq } from "drizzle-orm";
import type { Services } from "./services.ts";

type EndpointRow = Tables["endpoints"]["$inferSelect"];

/**
 * What the delivery workers read for an endpoint (KV bucket `endpoints`). Retiring keys
 * that have expired are left out (pruned whenever the config is written); the workers
 * also skip a retiring key whose `expiresAt` has passed, so no timer is needed.
 */
export function endpointConfigOf(row: EndpointRow, now: Date = new Date()): EndpointConfig {
  return {
    id: row.id,
    clinicId: row.clinicId,
    url: row.url,
    enabled: row.enabled,
    secrets: [row.secret],
    retiringSecrets: liveRetiringSecrets(row.retiringSecrets, now),
    headers: row.headers,
  };
}

export function liveRetiringSecrets<T extends { expiresAt: string }>(secrets: T[], now: Date): T[] {
  return secrets.filter((s) => Date.parse(s.expiresAt) > now.getTime());
}

/**
 * Makes the endpoint's KV entry match its row as it is now (re-read, so concurrent
 * writers converge on the latest state), or deletes it when the row is gone. The DB is
 * the truth and KV follows it after each commit; if this write fails, the start-up sync
 * (syncAllEndpointConfigs) repairs it, so it is logged, not thrown: the change did commit.
 */
export async function syncEndpointConfig(services: Services, endpointId: string): Promise<void> {
  try {
    const { endpoints } = services.store.tables;
    const [row] = await services.store.db
      .select()
      .from(endpoints)
      .where(eq(endpoints.id, endpointId));
    if (row) {
      await putEndpointConfig(services.endpointConfigs, endpointConfigOf(row));
    } else await deleteEndpointConfig(services.endpointConfigs, endpointId);
  } catch (err) {
    services.log.error({ err, endpointId }, "endpoint config not synced to KV; restart repairs it");
  }
}

/**
 * Makes the KV bucket match the endpoints table: puts every endpoint and removes keys
 * whose endpoint is gone. Run at start-up, it repairs whatever a crash between a commit
 * and its KV write left behind.
 */
export async function syncAllEndpointConfigs(services: Services): Promise<number> {
  const rows = await services.store.db.select().from(services.store.tables.endpoints);
  const known = new Set(rows.map((row) => row.id));
  await Promise.all(
    rows.map((row) => putEndpointConfig(services.endpointConfigs, endpointConfigOf(row))),
  );
  for await (const key of await services.endpointConfigs.keys()) {
    if (!known.has(key)) await deleteEndpointConfig(services.endpointConfigs, key);
  }
  return rows.length;
}
