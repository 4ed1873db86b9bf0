import {
  CreateEndpointInputSchema,
  CreateEndpointOutputSchema,
  EndpointByIdInputSchema,
  EndpointIdSchema,
  EndpointSchema,
} from "@claimwire/contracts";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { createEndpoint, deleteEndpoint, listEndpoints } from "../domain/endpoints.ts";
import { clinicProcedure } from "./trpc.ts";

export const endpointsRouter = {
  create: clinicProcedure
    .input(CreateEndpointInputSchema)
    .output(CreateEndpointOutputSchema)
    .mutation(({ ctx, input }) => createEndpoint(ctx.services, ctx.principal.clinicId, input)),

  list: clinicProcedure
    .output(z.array(EndpointSchema))
    .query(({ ctx }) => listEndpoints(ctx.services, ctx.principal.clinicId)),

  delete: clinicProcedure
    .input(EndpointByIdInputSchema)
    .output(z.object({ id: EndpointIdSchema }))
    .mutation(({ ctx, input }) =>
      deleteEndpoint(ctx.services, ctx.principal.clinicId, input.endpointId),
    ),
} satisfies TRPCRouterRecord;
