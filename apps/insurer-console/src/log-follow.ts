import type { Delivery } from "@claimwire/contracts";

/** How often the message log is fetched again while nothing is on its way. */
export const REFRESH_MS = 10_000;
/** While an attempt is on its way, the log follows it closely. */
export const FOLLOW_MS = 1_000;
/** A retry due this soon is followed closely too; a later one waits for the next refresh. */
const DUE_SOON_MS = 5_000;

/** Being sent now, or a retry due within seconds. */
export function isInFlight(delivery: Delivery, now: number): boolean {
  if (delivery.status === "sending") return true;
  return (
    delivery.status === "retrying" &&
    delivery.nextAttemptAt !== null &&
    Date.parse(delivery.nextAttemptAt) <= now + DUE_SOON_MS
  );
}

/**
 * How long until the message log is fetched again: every second while a delivery it
 * shows is on its way (a test event sent, a message resent or recovered), so that the
 * outcome shows as soon as it lands; otherwise every 10 s.
 */
export function logRefetchInterval(deliveries: readonly Delivery[], now: number): number {
  return deliveries.some((delivery) => isInFlight(delivery, now)) ? FOLLOW_MS : REFRESH_MS;
}
