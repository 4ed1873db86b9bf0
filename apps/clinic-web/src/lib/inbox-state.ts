import type { inferRouterOutputs } from "@trpc/server";
import type { TFunction } from "i18next";
import { createI18n } from "../i18n/i18n.ts";
import type { ClinicRouter } from "../trpc.ts";

export type InboxState = inferRouterOutputs<ClinicRouter>["inbox"]["recent"][number]["state"];

const english = createI18n("en").t;

/** What clinic staff read for an inbox message's state, in their language. */
export function inboxStateLabel(state: InboxState, t: TFunction = english): string {
  return t(`inboxState.${state}`);
}
