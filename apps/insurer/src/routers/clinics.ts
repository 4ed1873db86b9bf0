import { CreateClinicInputSchema, CreateClinicOutputSchema } from "@claimwire/contracts";
import type { TRPCRouterRecord } from "@trpc/server";
import { createClinic } from "../domain/clinics.ts";
import { staffProcedure } from "./trpc.ts";

export const clinicsRouter = {
  create: staffProcedure
    .meta({
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
} satisfies TRPCRouterRecord;
