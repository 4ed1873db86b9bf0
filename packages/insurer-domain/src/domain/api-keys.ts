import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { newId } from "@claimwire/ids";
import { type Db, preparedStatement, type Store } from "@claimwire/insurer-db";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Services } from "./services.ts";

/** Who is calling: a clinic (sees only its own data) or insurer staff. */
export type Principal = { role: "clinic"; clinicId: string } | { role: "insurer" };

/** Characters of a key kept in clear, so staff can tell keys apart without the key. */
const VISIBLE_PREFIX_LENGTH = 10;

/**
 * A new clinic API key: `cw_` + base64url of 32 random bytes (256 bits, so the plain
 * sha256 we store needs no salt or slow hash: it cannot be brute-forced).
 *
 * @example
 * generateApiKey(); // "cw_q9X2…" (46 characters)
 */
export function generateApiKey(): string {
  return `cw_${randomBytes(32).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Stores a key for a clinic: only its hash and visible prefix. Returns its id and prefix. */
export async function storeApiKey(
  store: Store,
  tx: Db,
  clinicId: string,
  key: string,
  at: string,
  name: string | null = null,
): Promise<{ id: string; prefix: string }> {
  const { apiKeys } = store.tables;
  const stored = { id: newId("apiKey"), prefix: key.slice(0, VISIBLE_PREFIX_LENGTH) };
  await tx
    .insert(apiKeys)
    .values({ ...stored, clinicId, keyHash: hashApiKey(key), name, createdAt: at });
  return stored;
}

/** `last_used_at` is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** A key that is not revoked, by its hash: every authenticated request asks it. */
const liveKeyByHash = preparedStatement("live_api_key_by_hash", (db, { apiKeys }) =>
  db
    .select({ id: apiKeys.id, clinicId: apiKeys.clinicId, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sql.placeholder("hash")), isNull(apiKeys.revokedAt))),
);

/**
 * Resolves a bearer key to a principal, or null when it is missing, unknown or revoked.
 * Lookups go by hash, so the stored value never meets the key; the staff key is
 * compared hash to hash in constant time.
 */
export async function resolvePrincipal(
  services: Services,
  key: string | undefined,
): Promise<Principal | null> {
  return key ? resolvePrincipalByHash(services, hashApiKey(key)) : null;
}

/** resolvePrincipal for a caller that already has the key's hash (hashApiKey). */
export async function resolvePrincipalByHash(
  services: Services,
  hash: string,
): Promise<Principal | null> {
  if (timingSafeEqual(Buffer.from(hash, "hex"), Buffer.from(services.staffKeyHash, "hex"))) {
    return { role: "insurer" };
  }
  const { store } = services;
  const { apiKeys } = store.tables;
  const [row] = await liveKeyByHash(store, store.db).execute({ hash });
  if (!row) return null;
  const now = new Date();
  if (
    row.lastUsedAt === null ||
    now.getTime() - Date.parse(row.lastUsedAt) >= LAST_USED_RESOLUTION_MS
  ) {
    await services.store.transaction((tx) =>
      tx.update(apiKeys).set({ lastUsedAt: now.toISOString() }).where(eq(apiKeys.id, row.id)),
    );
  }
  return { role: "clinic", clinicId: row.clinicId };
}

/** The clinic a key belongs to (revoked or not), or null; used nothing. */
export async function clinicOfApiKey(services: Services, key: string): Promise<string | null> {
  const { apiKeys } = services.store.tables;
  const [row] = await services.store.db
    .select({ clinicId: apiKeys.clinicId })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hashApiKey(key)));
  return row?.clinicId ?? null;
}

/** Reads `Authorization: Bearer <key>`; anything else counts as no key. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
