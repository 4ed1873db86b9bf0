import type { inferRouterOutputs } from "@trpc/server";
import type { ClinicRouter } from "../trpc.ts";

export type InboxState = inferRouterOutputs<ClinicRouter>["inbox"]["recent"][number]["state"];

const LABELS: Record<InboxState, string> = {
  pending: "Waiting",
  applied: "Applied",
  duplicate: "Duplicate",
  stale: "Stale (a newer version was applied)",
  failed: "Refused",
  quarantined: "Quarantined",
  ignored: "Ignored (event type not known here)",
};

/** What clinic staff read for an inbox message's state. */
export function inboxStateLabel(state: InboxState): string {
  return LABELS[state];
}
