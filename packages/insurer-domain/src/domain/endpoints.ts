import type {
  CreateEndpointInputSchema,
  CreateEndpointOutput,
  Endpoint,
  PayloadFilter,
  RotateSecretOutput,
  SignatureScheme,
  UpdateEndpointInputSchema,
} from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import type { Db, Store, Tables } from "@claimwire/insurer-db";
import { generateSecret, generateSigningKeyPair } from "@claimwire/webhooks";
import { and, eq, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Principal } from "./api-keys.ts";
import { DomainError } from "./domain-error.ts";
import { liveRetiringSecrets, syncEndpointConfig } from "./endpoint-config.ts";
import { validateEndpointUrl } from "./endpoint-url.ts";
import type { Services } from "./services.ts";

export type EndpointRow = Tables["endpoints"]["$inferSelect"];

export function toEndpoint(row: EndpointRow): Endpoint {
  return {
    id: row.id,
    clinicId: row.clinicId,
    url: row.url,
    eventTypes: row.eventTypes,
    description: row.description,
    signatureScheme: row.signatureScheme,
    headers: row.headers,
    rateLimitPerSecond: row.rateLimitPerSecond,
    payloadFilter: row.payloadFilter,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt,
    failingSince: row.failingSince,
    createdAt: row.createdAt,
  };
}

export function endpointNotFound(endpointId: string): DomainError {
  return new DomainError("NOT_FOUND", `No endpoint with id '${endpointId}'`);
}

/** Rows a viewer may see: a clinic its own only (another's is NOT_FOUND: no probing), staff any. */
export function endpointScope(store: Store, viewer: Principal): SQL | undefined {
  const { endpoints } = store.tables;
  return viewer.role === "clinic" ? eq(endpoints.clinicId, viewer.clinicId) : undefined;
}

/** The endpoint if the viewer may act on it, else NOT_FOUND. */
export async function findEndpoint(
  store: Store,
  db: Db,
  viewer: Principal,
  endpointId: string,
): Promise<EndpointRow> {
  const { endpoints } = store.tables;
  const [row] = await db
    .select()
    .from(endpoints)
    .where(and(eq(endpoints.id, endpointId), endpointScope(store, viewer)));
  if (!row) throw endpointNotFound(endpointId);
  return row;
}

/**
 * A new signing key and what the clinic verifies with: one `whsec_` secret for HMAC;
 * for ed25519 the `whsk_` key stays with us and the clinic gets the `whpk_` public key.
 */
function newSigningKey(scheme: SignatureScheme): { signing: string; verification: string } {
  if (scheme === "ed25519") {
    const pair = generateSigningKeyPair();
    return { signing: pair.secretKey, verification: pair.publicKey };
  }
  const secret = generateSecret();
  return { signing: secret, verification: secret };
}

/** `{}` filters nothing out, so it is stored as no filter at all. */
function storedFilter(filter: PayloadFilter | null): PayloadFilter | null {
  return filter === null || Object.keys(filter).length === 0 ? null : filter;
}

/** Subscribes a clinic's URL to event types; the verification key is returned here only. */
export async function createEndpoint(
  services: Services,
  clinicId: string,
  input: z.output<typeof CreateEndpointInputSchema>,
): Promise<CreateEndpointOutput> {
  validateEndpointUrl(input.url, {
    allowHttp: services.delivery.allowHttp,
    allowList: services.delivery.allowedNetworks,
  });
  const key = newSigningKey(input.signatureScheme);
  const row: EndpointRow = {
    id: newId("endpoint"),
    clinicId,
    url: input.url,
    eventTypes: [...new Set(input.eventTypes)],
    description: input.description,
    secret: key.signing,
    signatureScheme: input.signatureScheme,
    retiringSecrets: [],
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    createdAt: new Date().toISOString(),
    headers: input.headers,
    rateLimitPerSecond: input.rateLimitPerSecond,
    payloadFilter: storedFilter(input.payloadFilter),
  };
  const { store } = services;
  await store.transaction((tx) => tx.insert(store.tables.endpoints).values(row));
  await syncEndpointConfig(services, row.id);
  return { ...toEndpoint(row), secret: key.verification };
}

/** One endpoint: a clinic its own (another's is NOT_FOUND), staff any. */
export async function endpointById(
  services: Services,
  viewer: Principal,
  endpointId: string,
): Promise<Endpoint> {
  const { store } = services;
  return toEndpoint(await findEndpoint(store, store.db, viewer, endpointId));
}

export async function listEndpoints(services: Services, clinicId: string): Promise<Endpoint[]> {
  const { endpoints } = services.store.tables;
  const rows = await services.store.db
    .select()
    .from(endpoints)
    .where(eq(endpoints.clinicId, clinicId))
    .orderBy(endpoints.id);
  return rows.map(toEndpoint);
}

/**
 * Changes a clinic's own endpoint; a new URL is validated as on create. Headers are
 * replaced as a whole; a null rate limit or payload filter removes it (a new filter applies
 * to events committed after it; deliveries already written stay). Workers see the change in KV.
 */
export async function updateEndpoint(
  services: Services,
  clinicId: string,
  input: z.output<typeof UpdateEndpointInputSchema>,
): Promise<Endpoint> {
  if (input.url !== undefined) {
    validateEndpointUrl(input.url, {
      allowHttp: services.delivery.allowHttp,
      allowList: services.delivery.allowedNetworks,
    });
  }
  const changes: Partial<EndpointRow> = {
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.eventTypes !== undefined ? { eventTypes: [...new Set(input.eventTypes)] } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.headers !== undefined ? { headers: input.headers } : {}),
    ...(input.rateLimitPerSecond !== undefined
      ? { rateLimitPerSecond: input.rateLimitPerSecond }
      : {}),
    ...(input.payloadFilter !== undefined
      ? { payloadFilter: storedFilter(input.payloadFilter) }
      : {}),
  };
  const { endpoints } = services.store.tables;
  const [row] = await services.store.transaction((tx) =>
    tx
      .update(endpoints)
      .set(changes)
      .where(and(eq(endpoints.id, input.endpointId), eq(endpoints.clinicId, clinicId)))
      .returning(),
  );
  if (!row) throw endpointNotFound(input.endpointId);
  await syncEndpointConfig(services, row.id);
  return toEndpoint(row);
}

/** Deletes a clinic's own endpoint (and its delivery history); another's is NOT_FOUND. */
export async function deleteEndpoint(
  services: Services,
  clinicId: string,
  endpointId: string,
): Promise<{ id: string }> {
  const { endpoints } = services.store.tables;
  const [deleted] = await services.store.transaction((tx) =>
    tx
      .delete(endpoints)
      .where(and(eq(endpoints.id, endpointId), eq(endpoints.clinicId, clinicId)))
      .returning({ id: endpoints.id }),
  );
  if (!deleted) throw endpointNotFound(endpointId);
  await syncEndpointConfig(services, endpointId);
  return deleted;
}

/**
 * Replaces the endpoint's signing key. The previous key keeps signing
 * beside the new one until now + ENDPOINT_SECRET_OVERLAP_MS, so the clinic can switch
 * to the returned key at its own pace without a webhook failing verification. Expired
 * retiring keys are pruned here.
 */
export async function rotateSecret(
  services: Services,
  clinicId: string,
  endpointId: string,
): Promise<RotateSecretOutput> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + services.delivery.secretOverlapMs).toISOString();
  const { store } = services;
  const { endpoints } = store.tables;
  const result = await store.transaction(async (tx) => {
    const row = await findEndpoint(store, tx, { role: "clinic", clinicId }, endpointId);
    const key = newSigningKey(row.signatureScheme);
    const retiringSecrets = [
      { secret: row.secret, expiresAt },
      ...liveRetiringSecrets(row.retiringSecrets, now),
    ];
    await tx
      .update(endpoints)
      .set({ secret: key.signing, retiringSecrets })
      .where(eq(endpoints.id, row.id));
    return { scheme: row.signatureScheme, verification: key.verification };
  });
  await syncEndpointConfig(services, endpointId);
  return {
    endpointId,
    signatureScheme: result.scheme,
    secret: result.verification,
    previousSecretExpiresAt: expiresAt,
  };
}
