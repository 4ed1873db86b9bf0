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

/** The time and random digits of the latest id made in this process (see newId). */
let last = { time: -1, random: [] as number[] };

/**
 * A new id. Two ids made in the same millisecond by one process still sort in the order
 * they were made (the later one's random part is the earlier one's plus one, as ULID's
 * monotonic mode does), so "newest first" pages never swap claims created back to back.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  const random = now === last.time ? nextRandom(last.random) : freshRandom();
  last = { time: now, random };
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `${ID_PREFIXES[kind]}_${time}${random.map((digit) => CROCKFORD[digit]).join("")}`;
}

function freshRandom(): number[] {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte % 32);
}

/** The base-32 number one greater; fresh digits in the (2^-80-unlikely) case it overflows. */
function nextRandom(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] === 31) next[i] = 0;
    else {
      next[i] = (next[i] ?? 0) + 1;
      return next;
    }
  }
  return freshRandom();
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
