import type { inferRouterOutputs } from "@trpc/server";
import type { ClinicRouter } from "../trpc.ts";
import { statusLabel } from "./format.ts";

/** One change the clinic pushes to open tabs (what live.changes yields). */
export type LiveChange =
  inferRouterOutputs<ClinicRouter>["live"]["changes"] extends AsyncIterable<infer Change>
    ? Change
    : never;

/**
 * What screen readers are told about a change pushed by the clinic, or null when it is
 * not worth interrupting for (a retry, a requeue, a reconciliation run).
 */
export function changeAnnouncement(change: LiveChange): string | null {
  if (change.kind === "claim") {
    return `Claim ${change.clinicReference} is now ${statusLabel(change.status)}.`;
  }
  if (change.kind === "inbox" && change.state === "quarantined") {
    return "A webhook message was quarantined.";
  }
  return null;
}
