import type { inferRouterOutputs } from "@trpc/server";
import type { TFunction } from "i18next";
import { createI18n } from "../i18n/i18n.ts";
import type { ClinicRouter } from "../trpc.ts";
import { statusLabel } from "./format.ts";

const english = createI18n("en").t;

/** One change the clinic pushes to open tabs (what live.changes yields). */
export type LiveChange =
  inferRouterOutputs<ClinicRouter>["live"]["changes"] extends AsyncIterable<infer Change>
    ? Change
    : never;

/**
 * What screen readers are told about a change pushed by the clinic, or null when it is
 * not worth interrupting for (a retry, a requeue, a reconciliation run).
 */
export function changeAnnouncement(change: LiveChange, t: TFunction = english): string | null {
  if (change.kind === "claim") {
    return t("announce.claim", {
      reference: change.clinicReference,
      status: statusLabel(change.status, t),
    });
  }
  if (change.kind === "inbox" && change.state === "quarantined") {
    return t("announce.quarantined");
  }
  return null;
}
