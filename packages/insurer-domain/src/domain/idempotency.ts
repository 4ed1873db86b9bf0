import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { Tables } from "@claimwire/insurer-db";
import { and, eq, lt } from "drizzle-orm";
import type { Principal } from "./api-keys.ts";
import { DomainError } from "./domain-error.ts";
import type { Services } from "./services.ts";

/** The idempotency settings (env.ts); tests inject the clock. */
export type IdempotencyConfig = {
  /** How long a stored result answers repeats (IDEMPOTENCY_TTL_MS). */
  ttlMs: number;
  now: () => number;
};

/** A first call still running this long is taken as abandoned (its process died). */
const ABANDONED_AFTER_MS = 5 * 60_000;
/** The expired rows are swept at most this often, by the next idempotent call. */
const SWEEP_EVERY_MS = 60_000;

/** 1–255 visible ASCII characters (no spaces or controls). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The header's value, or undefined without one; a malformed key is BAD_REQUEST. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(",") : header;
  if (!KEY_PATTERN.test(value)) {
    throw new DomainError(
      "BAD_REQUEST",
      "Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces)",
    );
  }
  return value;
}

/** Who a key belongs to: two clinics may use the same key independently. */
export function principalScope(principal: Principal): string {
  return principal.role === "clinic" ? `clinic:${principal.clinicId}` : "insurer";
}

/** JSON with object keys sorted at every level, so key order does not change the hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

export function requestHash(input: unknown): string {
  return createHash("sha256")
    .update(canonicalJson(input ?? null), "utf8")
    .digest("hex");
}

export type IdempotentCall = {
  scope: string;
  procedure: string;
  key: string;
  input: unknown;
  /**
   * Encrypts the stored response (responseSecret), so the one-time secrets some creating
   * calls return (API keys, signing keys) are not in the database in clear; absent for
   * in-process callers, whose responses are stored as plain JSON.
   */
  secret?: Buffer;
};

/**
 * The key that encrypts an HTTP caller's stored responses: derived from its bearer token
 * (HKDF-SHA256), which the database never holds (it holds the token's plain sha256).
 */
export function responseSecret(token: string): Buffer {
  return Buffer.from(hkdfSync("sha256", token, "claimwire-idempotency", "response-v1", 32));
}

const ENCRYPTED_PREFIX = "aes256gcm:";

function sealResponse(json: string, secret: Buffer | undefined, aad: string): string {
  if (!secret) return json;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secret, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
  return `${ENCRYPTED_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

/** The stored JSON, or undefined when this caller's secret does not open it. */
function openResponse(stored: string, secret: Buffer | undefined, aad: string): string | undefined {
  if (!stored.startsWith(ENCRYPTED_PREFIX)) return stored;
  if (!secret) return undefined;
  const raw = Buffer.from(stored.slice(ENCRYPTED_PREFIX.length), "base64");
  try {
    const decipher = createDecipheriv("aes-256-gcm", secret, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

const aadOf = (call: IdempotentCall) => `${call.scope}\n${call.procedure}\n${call.key}`;

/** The idempotency_keys row of a call (unique on scope, procedure, key). */
const rowOf = (idempotencyKeys: Tables["idempotencyKeys"], call: IdempotentCall) =>
  and(
    eq(idempotencyKeys.scope, call.scope),
    eq(idempotencyKeys.procedure, call.procedure),
    eq(idempotencyKeys.key, call.key),
  );

/** What `begin` found: a stored result to replay, or the right to run the call. */
export type Begun = { replay: true; response: unknown } | { replay: false };

/** When each database was last swept. */
const sweptAt = new WeakMap<object, number>();

/**
 * Claims the key for this call, atomically (one transaction, so it holds across
 * processes sharing the database): replays a completed result with the same request; refuses
 * another request under the same key, or a repeat while the first is still running.
 */
export async function beginIdempotentCall(
  services: Services,
  call: IdempotentCall,
): Promise<Begun> {
  const { store } = services;
  const { idempotencyKeys } = store.tables;
  const { ttlMs, now } = services.idempotency;
  const at = now();
  const expiredBefore = new Date(at - ttlMs).toISOString();
  if (at - (sweptAt.get(store) ?? Number.NEGATIVE_INFINITY) >= SWEEP_EVERY_MS) {
    sweptAt.set(store, at);
    await store.transaction((tx) =>
      tx.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, expiredBefore)),
    );
  }
  const hash = requestHash(call.input);
  const where = rowOf(idempotencyKeys, call);
  return store.transaction(async (tx): Promise<Begun> => {
    const [row] = await tx.select().from(idempotencyKeys).where(where);
    const abandoned =
      row?.status === "in_progress" && Date.parse(row.createdAt) < at - ABANDONED_AFTER_MS;
    if (row && row.createdAt >= expiredBefore && !abandoned) {
      if (row.requestHash !== hash) {
        throw new DomainError(
          "CONFLICT",
          `Idempotency-Key '${call.key}' was used with a different request`,
        );
      }
      if (row.status === "in_progress" || row.response === null) {
        throw new DomainError(
          "CONFLICT",
          `A request with Idempotency-Key '${call.key}' is still in progress; retry later`,
        );
      }
      const json = openResponse(row.response, call.secret, aadOf(call));
      if (json === undefined) {
        throw new DomainError(
          "CONFLICT",
          `Idempotency-Key '${call.key}' was used with another API key`,
        );
      }
      return { replay: true, response: JSON.parse(json) as unknown };
    }
    if (row) await tx.delete(idempotencyKeys).where(where);
    await tx.insert(idempotencyKeys).values({
      scope: call.scope,
      procedure: call.procedure,
      key: call.key,
      requestHash: hash,
      status: "in_progress",
      createdAt: new Date(at).toISOString(),
    });
    return { replay: false };
  });
}

/** Stores the first result; later repeats get it back until it expires. */
export async function completeIdempotentCall(
  services: Services,
  call: IdempotentCall,
  response: unknown,
): Promise<void> {
  const { idempotencyKeys } = services.store.tables;
  await services.store.transaction((tx) =>
    tx
      .update(idempotencyKeys)
      .set({
        status: "completed",
        response: sealResponse(JSON.stringify(response ?? null), call.secret, aadOf(call)),
      })
      .where(rowOf(idempotencyKeys, call)),
  );
}

/** A failed call is not stored: the key is free for a corrected retry. */
export async function abandonIdempotentCall(
  services: Services,
  call: IdempotentCall,
): Promise<void> {
  const { idempotencyKeys } = services.store.tables;
  await services.store.transaction((tx) =>
    tx.delete(idempotencyKeys).where(rowOf(idempotencyKeys, call)),
  );
}
