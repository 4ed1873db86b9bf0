import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { PatientStatusSchema, patientStatus } from "../claims/patient-status.ts";
import { PatientTokenSchema } from "../claims/patient-token.ts";
import { publicProcedure } from "./trpc.ts";

export const patientRouter = {
  /**
   * The patient's view of one claim, found by the token in their link. The output schema is
   * the whitelist: nothing beyond it reaches the patient.
   */
  status: publicProcedure
    .input(z.object({ token: PatientTokenSchema }))
    .output(PatientStatusSchema.nullable())
    // null for any unknown token, the same answer whichever it is: it tells nothing about
    // which tokens exist. (Not a 404: the page reports it, and a patient's browser console
    // stays free of errors.)
    .query(({ ctx, input }) => patientStatus(ctx.db, input.token, ctx.clock.now()) ?? null),
} satisfies TRPCRouterRecord;
