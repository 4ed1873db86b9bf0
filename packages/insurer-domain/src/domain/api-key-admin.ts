import type { ApiKey, CreateApiKeyOutput } from "@claimwire/contracts";
import { and, eq, isNull, ne } from "drizzle-orm";
import { generateApiKey, type Principal, storeApiKey } from "./api-keys.ts";
import { targetClinicId } from "./clinic-scope.ts";
import { DomainError } from "./domain-error.ts";
import type { Services } from "./services.ts";

/** A new key for the viewer's clinic (staff: the named clinic); the key is returned here only. */
export async function createApiKey(
  services: Services,
  viewer: Principal,
  input: { clinicId?: string | undefined; name?: string | undefined },
): Promise<CreateApiKeyOutput> {
  const { store } = services;
  const clinicId = await targetClinicId(store, viewer, input.clinicId);
  const apiKey = generateApiKey();
  const stored = await store.transaction((tx) =>
    storeApiKey(store, tx, clinicId, apiKey, new Date().toISOString(), input.name ?? null),
  );
  return { ...stored, apiKey };
}

/** A clinic's keys, oldest first, revoked ones included: never the key or its hash. */
export async function listApiKeys(
  services: Services,
  viewer: Principal,
  input: { clinicId?: string | undefined },
): Promise<ApiKey[]> {
  const { store } = services;
  const { apiKeys } = store.tables;
  const clinicId = await targetClinicId(store, viewer, input.clinicId);
  return store.db
    .select({
      id: apiKeys.id,
      prefix: apiKeys.prefix,
      name: apiKeys.name,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.clinicId, clinicId))
    .orderBy(apiKeys.createdAt, apiKeys.id);
}

/**
 * Revokes a key: from the next request on it is UNAUTHORIZED. A clinic may revoke only
 * its own keys (another clinic's is NOT_FOUND) and not its last active one (CONFLICT), so
 * it cannot lock itself out; staff may revoke any. Revoking a revoked key changes nothing.
 */
export async function revokeApiKey(
  services: Services,
  viewer: Principal,
  keyId: string,
): Promise<ApiKey> {
  const { apiKeys } = services.store.tables;
  return services.store.transaction(async (tx) => {
    const [key] = await tx.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    if (!key || (viewer.role === "clinic" && key.clinicId !== viewer.clinicId)) {
      throw new DomainError("NOT_FOUND", `No API key with id '${keyId}'`);
    }
    let revokedAt = key.revokedAt;
    if (revokedAt === null) {
      if (viewer.role === "clinic") {
        const [otherActive] = await tx
          .select({ id: apiKeys.id })
          .from(apiKeys)
          .where(
            and(
              eq(apiKeys.clinicId, key.clinicId),
              isNull(apiKeys.revokedAt),
              ne(apiKeys.id, key.id),
            ),
          );
        if (!otherActive) {
          throw new DomainError(
            "CONFLICT",
            `API key '${keyId}' is the clinic's last active key: create another before revoking it`,
          );
        }
      }
      revokedAt = new Date().toISOString();
      await tx.update(apiKeys).set({ revokedAt }).where(eq(apiKeys.id, key.id));
    }
    return {
      id: key.id,
      prefix: key.prefix,
      name: key.name,
      createdAt: key.createdAt,
      revokedAt,
      lastUsedAt: key.lastUsedAt,
    };
  });
}
