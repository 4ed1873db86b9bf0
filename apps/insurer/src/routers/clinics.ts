import { CreateClinicInputSchema, CreateClinicOutputSchema } from "@claimwire/contracts";
import type { TRPCRouterRecord } from "@trpc/server";
import { createClinic } from "../domain/clinics.ts";
import { staffProcedure } from "./trpc.ts";

export const clinicsRouter = {
  create: staffProcedure
    .input(CreateClinicInputSchema)
    .output(CreateClinicOutputSchema)
    .mutation(({ ctx, input }) => createClinic(ctx.services, input.name)),
} satisfies TRPCRouterRecord;
