import { z } from "zod";

/**
 * Ids carry a type prefix so logs read themselves (`clm_…`, `ep_…`). The rest is a ULID:
 * 26 Crockford base32 characters (48-bit millisecond time + 80 random bits), so ids sort
 * by creation time. They are made by `newId` in `@claimwire/ids` (the contracts depend on
 * zod alone); here are only their prefixes and schemas.
 */
export const ID_PREFIXES = {
  claim: "clm",
  clinic: "cln",
  endpoint: "ep",
  event: "evt",
  delivery: "dlv",
  attempt: "atm",
  apiKey: "key",
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

const BODY = "[0-9A-HJKMNP-TV-Z]{26}";

/** A zod schema for an id of one kind: `idSchema("claim")` accepts `clm_…` only. */
export function idSchema(kind: IdKind) {
  const prefix = ID_PREFIXES[kind];
  return z
    .string()
    .regex(new RegExp(`^${prefix}_${BODY}$`), `must be a ${kind} id like '${prefix}_…'`);
}

export const ClaimIdSchema = idSchema("claim");
export const ClinicIdSchema = idSchema("clinic");
export const EndpointIdSchema = idSchema("endpoint");
export const EventIdSchema = idSchema("event");
export const DeliveryIdSchema = idSchema("delivery");
export const AttemptIdSchema = idSchema("attempt");
