import {
  type CreateEndpointInputSchema,
  type CreateEndpointOutput,
  type Endpoint,
  newId,
} from "@claimwire/contracts";
import { deleteEndpointConfig, type EndpointConfig, putEndpointConfig } from "@claimwire/queue";
import { generateSecret } from "@claimwire/webhooks";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { endpoints } from "../db/schema.ts";
import { DomainError } from "./domain-error.ts";
import type { Services } from "./services.ts";

type EndpointRow = typeof endpoints.$inferSelect;

function toEndpoint(row: EndpointRow): Endpoint {
  return {
    id: row.id,
    clinicId: row.clinicId,
    url: row.url,
    eventTypes: row.eventTypes,
    description: row.description,
    enabled: row.enabled,
    createdAt: row.createdAt,
  };
}

function toConfig(row: EndpointRow): EndpointConfig {
  return {
    id: row.id,
    clinicId: row.clinicId,
    url: row.url,
    enabled: row.enabled,
    secrets: [row.secret],
  };
}

/**
 * Delivery workers read URL and secret from the KV bucket, never from our database. The
 * DB is the truth and KV follows it after each commit; if this write fails, the
 * start-up sync (syncAllEndpointConfigs) repairs it, so it is logged, not thrown — the
 * endpoint does exist, and a retried create would make a second one.
 */
async function syncConfig(services: Services, endpointId: string, config: EndpointConfig | null) {
  try {
    if (config) await putEndpointConfig(services.endpointConfigs, config);
    else await deleteEndpointConfig(services.endpointConfigs, endpointId);
  } catch (err) {
    services.log.error({ err, endpointId }, "endpoint config not synced to KV; restart repairs it");
  }
}

/** Subscribes a clinic's URL to event types; the signing secret is returned here only. */
export async function createEndpoint(
  services: Services,
  clinicId: string,
  input: z.output<typeof CreateEndpointInputSchema>,
): Promise<CreateEndpointOutput> {
  const row: EndpointRow = {
    id: newId("endpoint"),
    clinicId,
    url: input.url,
    eventTypes: [...new Set(input.eventTypes)],
    description: input.description,
    secret: generateSecret(),
    enabled: true,
    createdAt: new Date().toISOString(),
  };
  services.db.insert(endpoints).values(row).run();
  await syncConfig(services, row.id, toConfig(row));
  return { ...toEndpoint(row), secret: row.secret };
}

export function listEndpoints(services: Services, clinicId: string): Endpoint[] {
  return services.db
    .select()
    .from(endpoints)
    .where(eq(endpoints.clinicId, clinicId))
    .orderBy(endpoints.id)
    .all()
    .map(toEndpoint);
}

/** Deletes a clinic's own endpoint (and its delivery history); another's is NOT_FOUND. */
export async function deleteEndpoint(
  services: Services,
  clinicId: string,
  endpointId: string,
): Promise<{ id: string }> {
  const deleted = services.db
    .delete(endpoints)
    .where(and(eq(endpoints.id, endpointId), eq(endpoints.clinicId, clinicId)))
    .returning({ id: endpoints.id })
    .get();
  if (!deleted) throw new DomainError("NOT_FOUND", `No endpoint with id '${endpointId}'`);
  await syncConfig(services, endpointId, null);
  return deleted;
}

/**
 * Makes the KV bucket match the endpoints table: puts every endpoint and removes keys
 * whose endpoint is gone. Run at start-up, it repairs whatever a crash between a commit
 * and its KV write left behind.
 */
export async function syncAllEndpointConfigs(services: Services): Promise<number> {
  const rows = services.db.select().from(endpoints).all();
  const known = new Set(rows.map((row) => row.id));
  await Promise.all(rows.map((row) => putEndpointConfig(services.endpointConfigs, toConfig(row))));
  for await (const key of await services.endpointConfigs.keys()) {
    if (!known.has(key)) await deleteEndpointConfig(services.endpointConfigs, key);
  }
  return rows.length;
}
