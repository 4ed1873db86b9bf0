import { ID_PREFIXES, type IdKind } from "@claimwire/contracts";
import { monotonicFactory } from "ulid";

// One factory for every kind: ids made in the same millisecond by this process get the
// previous random part plus one, so they sort in the order they were made.
const nextUlid = monotonicFactory();

/**
 * A new id: the kind's prefix and a ULID (48-bit millisecond time + 80 random bits,
 * Crockford base32), so ids sort by creation time and "newest first" pages never swap
 * claims created back to back. The shape is checked by the contracts' `idSchema`.
 *
 * @example
 * newId("claim"); // "clm_01JD8Z3Q9X4N8V6M2K7T5R1B0C"
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(now)}`;
}
