import type { ClinicDatabase, PatientLanguage } from "@claimwire/clinic-db";
import { initTRPC } from "@trpc/server";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { ClinicInsurerApi } from "../insurer-api.ts";
import type { ClinicChanges } from "../live/clinic-changes.ts";
import type { FeedReconciler } from "../reconciliation/feed-reconciler.ts";
import { fieldErrorsOf } from "./field-errors.ts";

/** The only initTRPC in the clinic (create-t3-turbo's packages/api/src/trpc.ts layout). */

/**
 * What the clinic's procedures work with. The clinic's API serves its own web app on the
 * clinic's network; like the web page before it, it has no login of its own (out of scope
 * here), except the patient procedure, which is keyed by the unguessable link token.
 */
export type ClinicContext = {
  db: ClinicDatabase;
  client: Pick<ClinicInsurerApi, "claims">;
  clock: Clock;
  logger: Logger;
  changes: ClinicChanges;
  reconciler: Pick<FeedReconciler, "runOnce">;
  /** Wakes the inbox processor (after a submission, or a requeued message). */
  wakeProcessor: () => void;
  /** The language of a patient's e-mails when staff did not choose one (CLINIC_DEFAULT_LANGUAGE). */
  defaultLanguage: PatientLanguage;
  /** E-mail is on (CLINIC_SMTP_HOST set): submissions queue the patient's e-mail. */
  queuePatientEmail: boolean;
};

const t = initTRPC.context<ClinicContext>().create({
  isDev: false,
  // Server-sent events: a comment every 15 s keeps proxies from closing an idle stream.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 40_000 },
  },
  // Input that fails validation carries one message per field, so the form can show each
  // one beside its field ("serviceLines.0.code" → "must be a procedure code like '99213'").
  errorFormatter: ({ shape, error }) => ({
    ...shape,
    message: error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : shape.message,
    data: { ...shape.data, stack: undefined, fieldErrors: fieldErrorsOf(error) },
  }),
});

export const createClinicRouter = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
