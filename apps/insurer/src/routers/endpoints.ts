import {
  CreateEndpointInputSchema,
  CreateEndpointOutputSchema,
  DeleteEndpointOutputSchema,
  EndpointByIdInputSchema,
  EndpointSchema,
  RecoverEndpointInputSchema,
  RecoverEndpointOutputSchema,
  RotateSecretOutputSchema,
  UpdateEndpointInputSchema,
} from "@claimwire/contracts";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { recoverEndpoint } from "../domain/deliveries.ts";
import { disableEndpoint, enableEndpoint } from "../domain/endpoint-health.ts";
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  rotateSecret,
  updateEndpoint,
} from "../domain/endpoints.ts";
import { authedProcedure, clinicProcedure } from "./trpc.ts";

/**
 * A clinic manages its own endpoints (another clinic's is NOT_FOUND); staff may also
 * enable, disable and recover any endpoint. Keys are only ever shown to the clinic.
 */
export const endpointsRouter = {
  create: clinicProcedure
    .input(CreateEndpointInputSchema)
    .output(CreateEndpointOutputSchema)
    .mutation(({ ctx, input }) => createEndpoint(ctx.services, ctx.principal.clinicId, input)),

  list: clinicProcedure
    .output(z.array(EndpointSchema))
    .query(({ ctx }) => listEndpoints(ctx.services, ctx.principal.clinicId)),

  update: clinicProcedure
    .input(UpdateEndpointInputSchema)
    .output(EndpointSchema)
    .mutation(({ ctx, input }) => updateEndpoint(ctx.services, ctx.principal.clinicId, input)),

  delete: clinicProcedure
    .input(EndpointByIdInputSchema)
    .output(DeleteEndpointOutputSchema)
    .mutation(({ ctx, input }) =>
      deleteEndpoint(ctx.services, ctx.principal.clinicId, input.endpointId),
    ),

  enable: authedProcedure
    .input(EndpointByIdInputSchema)
    .output(EndpointSchema)
    .mutation(({ ctx, input }) => enableEndpoint(ctx.services, ctx.principal, input.endpointId)),

  disable: authedProcedure
    .input(EndpointByIdInputSchema)
    .output(EndpointSchema)
    .mutation(({ ctx, input }) => disableEndpoint(ctx.services, ctx.principal, input.endpointId)),

  rotateSecret: clinicProcedure
    .input(EndpointByIdInputSchema)
    .output(RotateSecretOutputSchema)
    .mutation(({ ctx, input }) =>
      rotateSecret(ctx.services, ctx.principal.clinicId, input.endpointId),
    ),

  recover: authedProcedure
    .input(RecoverEndpointInputSchema)
    .output(RecoverEndpointOutputSchema)
    .mutation(({ ctx, input }) => recoverEndpoint(ctx.services, ctx.principal, input)),
} satisfies TRPCRouterRecord;
