import { z } from "zod";

/**
 * Ids carry a type prefix so logs read themselves (`clm_…`, `ep_…`). The rest is a
 * 26-character, time-sortable Crockford base32 string (ULID layout: 48-bit millisecond
 * time + 80 random bits), so ids sort by creation time.
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

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const BODY = "[0-9A-HJKMNP-TV-Z]{26}";

export function newId(kind: IdKind, now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = crypto.getRandomValues(new Uint8Array(16));
  let rest = "";
  for (const byte of random) rest += CROCKFORD[byte % 32];
  return `${ID_PREFIXES[kind]}_${time}${rest}`;
}

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
