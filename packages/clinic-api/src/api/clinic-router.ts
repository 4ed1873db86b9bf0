import { claimsRouter } from "./claims-router.ts";
import { inboxRouter } from "./inbox-router.ts";
import { liveRouter } from "./live-router.ts";
import { patientRouter } from "./patient-router.ts";
import { reconciliationRouter } from "./reconciliation-router.ts";
import { createClinicRouter } from "./trpc.ts";

/** The clinic's own API, for its web app (apps/clinic-web), served at /api/trpc. */
export const clinicRouter = createClinicRouter({
  claims: claimsRouter,
  inbox: inboxRouter,
  reconciliation: reconciliationRouter,
  patient: patientRouter,
  live: liveRouter,
});

export type ClinicRouter = typeof clinicRouter;
