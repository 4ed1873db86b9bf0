import {
  ClinicListSchema,
  CreateClinicInputSchema,
  CreateClinicOutputSchema,
} from "@claimwire/contracts";
import { createClinic, listClinics } from "@claimwire/insurer-domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { staffProcedure } from "./trpc.ts";

export const clinicsRouter = {
  create: staffProcedure
    .meta({
      idempotent: true,
      openapi: {
        method: "POST",
        path: "/clinics",
        tags: ["clinics"],
        summary: "Create a clinic and its API key, shown once (staff)",
        protect: true,
      },
    })
    .input(CreateClinicInputSchema)
    .output(CreateClinicOutputSchema)
    .mutation(({ ctx, input }) => createClinic(ctx.services, input.name)),

  list: staffProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/clinics",
        tags: ["clinics"],
        summary: "Every clinic, oldest first (staff)",
        protect: true,
      },
    })
    .output(ClinicListSchema)
    .query(({ ctx }) => listClinics(ctx.services)),
} satisfies TRPCRouterRecord;
