import type { FeedEvent } from "@claimwire/contracts";
import type { ForwardResult } from "./forward-event.ts";

/**
 * The line printed for one forwarded event: when, what, which, and what the local
 * receiver answered (or why it could not be reached), and how long it took.
 *
 * @example
 * deliveryLine(event, { ok: true, status: 204, durationMs: 3 }, new Date());
 * // "2026-12-03T17:40:01.123Z  claim.submitted       evt_01JD…  204  3 ms"
 */
export function deliveryLine(event: FeedEvent, result: ForwardResult, at: Date): string {
  const outcome = result.ok ? String(result.status) : `error: ${result.error}`;
  return `${at.toISOString()}  ${event.type.padEnd(24)}  ${event.id}  ${outcome}  ${result.durationMs} ms`;
}
