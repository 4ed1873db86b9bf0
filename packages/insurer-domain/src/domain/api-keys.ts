import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { newId } from "@claimwire/ids";
import { apiKeys } from "@claimwire/insurer-db";
import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "./outbox.ts";
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
export function storeApiKey(
  tx: Tx,
  clinicId: string,
  key: string,
  at: string,
  name: string | null = null,
): { id: string; prefix: string } {
  const stored = { id: newId("apiKey"), prefix: key.slice(0, VISIBLE_PREFIX_LENGTH) };
  tx.insert(apiKeys)
    .values({ ...stored, clinicId, keyHash: hashApiKey(key), name, createdAt: at })
    .run();
  return stored;
}

/** `last_used_at` is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a bearer key to a principal, or null when it is missing, unknown or revoked.
 * Lookups go by hash, so the stored value never meets the key; the staff key is
 * compared hash to hash in constant time.
 */
export function resolvePrincipal(services: Services, key: string | undefined): Principal | null {
  if (!key) return null;
  const hash = hashApiKey(key);
  if (timingSafeEqual(Buffer.from(hash, "hex"), Buffer.from(services.staffKeyHash, "hex"))) {
    return { role: "insurer" };
  }
  const row = services.db
    .select({ id: apiKeys.id, clinicId: apiKeys.clinicId, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) return null;
  const now = new Date();
  if (
    row.lastUsedAt === null ||
    now.getTime() - Date.parse(row.lastUsedAt) >= LAST_USED_RESOLUTION_MS
  ) {
    services.db
      .update(apiKeys)
      .set({ lastUsedAt: now.toISOString() })
      .where(eq(apiKeys.id, row.id))
      .run();
  }
  return { role: "clinic", clinicId: row.clinicId };
}

/** Reads `Authorization: Bearer <key>`; anything else counts as no key. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
