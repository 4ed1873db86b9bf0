import {
  CreateEndpointInputSchema,
  CreateEndpointOutputSchema,
  DeleteEndpointOutputSchema,
  EndpointByIdInputSchema,
  EndpointDeliveryStatsSchema,
  EndpointSchema,
  EndpointStatsSchema,
  ListEndpointsInputSchema,
  RecoverEndpointInputSchema,
  RecoverEndpointOutputSchema,
  RotateSecretOutputSchema,
  SendTestOutputSchema,
  UpdateEndpointInputSchema,
} from "@claimwire/contracts";
import {
  createEndpoint,
  deleteEndpoint,
  disableEndpoint,
  enableEndpoint,
  endpointById,
  endpointDeliveryStats,
  endpointStats,
  listEndpoints,
  recoverEndpoint,
  rotateSecret,
  sendTestWebhook,
  targetClinicId,
  updateEndpoint,
} from "@claimwire/insurer-domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { authedProcedure, clinicProcedure } from "./trpc.ts";

/**
 * A clinic manages its own endpoints (another clinic's is NOT_FOUND); staff may also
 * list (naming the clinic), read, test, enable, disable and recover any endpoint and read
 * its stats. Keys are only ever shown to the clinic.
 */
export const endpointsRouter = {
  create: clinicProcedure
    .meta({
      idempotent: true,
      openapi: {
        method: "POST",
        path: "/endpoints",
        tags: ["endpoints"],
        summary: "Create a webhook endpoint; its key is returned only here (clinic)",
        protect: true,
      },
    })
    .input(CreateEndpointInputSchema)
    .output(CreateEndpointOutputSchema)
    .mutation(({ ctx, input }) => createEndpoint(ctx.services, ctx.principal.clinicId, input)),

  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/endpoints",
        tags: ["endpoints"],
        summary: "List the clinic's endpoints (clinic; staff: clinicId's)",
        protect: true,
      },
    })
    .input(ListEndpointsInputSchema.optional())
    .output(z.array(EndpointSchema))
    .query(async ({ ctx, input }) =>
      listEndpoints(
        ctx.services,
        await targetClinicId(ctx.services.store, ctx.principal, input?.clinicId),
      ),
    ),

  byId: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/endpoints/{endpointId}",
        tags: ["endpoints"],
        summary: "One endpoint (clinic: its own; staff: any)",
        protect: true,
      },
    })
    .input(EndpointByIdInputSchema)
    .output(EndpointSchema)
    .query(({ ctx, input }) => endpointById(ctx.services, ctx.principal, input.endpointId)),

  stats: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/endpoints/{endpointId}/stats",
        tags: ["endpoints"],
        summary: "Attempts, success rate, last error and delivery counts of an endpoint",
        protect: true,
      },
    })
    .input(EndpointByIdInputSchema)
    .output(EndpointStatsSchema)
    .query(({ ctx, input }) => endpointStats(ctx.services, ctx.principal, input.endpointId)),

  deliveryStats: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/endpoints/{endpointId}/delivery-stats",
        tags: ["endpoints"],
        summary: "Attempts per hour (48 h) and per day (30 days) by outcome, and their durations",
        protect: true,
      },
    })
    .input(EndpointByIdInputSchema)
    .output(EndpointDeliveryStatsSchema)
    .query(({ ctx, input }) =>
      endpointDeliveryStats(ctx.services, ctx.principal, input.endpointId),
    ),

  sendTest: authedProcedure
    .meta({
      idempotent: true,
      openapi: {
        method: "POST",
        path: "/endpoints/{endpointId}/test",
        tags: ["endpoints"],
        summary: "Send a webhook.test event to this endpoint only, whatever its event types",
        protect: true,
      },
    })
    .input(EndpointByIdInputSchema)
    .output(SendTestOutputSchema)
    .mutation(({ ctx, input }) => sendTestWebhook(ctx.services, ctx.principal, input.endpointId)),

  update: clinicProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/endpoints/{endpointId}",
        tags: ["endpoints"],
        summary:
          "Change an endpoint's URL, event types, description, headers or rate limit (clinic)",
        protect: true,
      },
    })
    .input(UpdateEndpointInputSchema)
    .output(EndpointSchema)
    .mutation(({ ctx, input }) => updateEndpoint(ctx.services, ctx.principal.clinicId, input)),

  delete: clinicProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/endpoints/{endpointId}",
        tags: ["endpoints"],
        summary: "Delete an endpoint (clinic)",
        protect: true,
      },
    })
    .input(EndpointByIdInputSchema)
    .output(DeleteEndpointOutputSchema)
    .mutation(({ ctx, input }) =>
      deleteEndpoint(ctx.services, ctx.principal.clinicId, input.endpointId),
    ),

  enable: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/endpoints/{endpointId}/enable",
        tags: ["endpoints"],
        summary: "Enable a disabled endpoint",
        protect: true,
      },
    })
    .input(EndpointByIdInputSchema)
    .output(EndpointSchema)
    .mutation(({ ctx, input }) => enableEndpoint(ctx.services, ctx.principal, input.endpointId)),

  disable: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/endpoints/{endpointId}/disable",
        tags: ["endpoints"],
        summary: "Disable an endpoint",
        protect: true,
      },
    })
    .input(EndpointByIdInputSchema)
    .output(EndpointSchema)
    .mutation(({ ctx, input }) => disableEndpoint(ctx.services, ctx.principal, input.endpointId)),

  rotateSecret: clinicProcedure
    .meta({
      idempotent: true,
      openapi: {
        method: "POST",
        path: "/endpoints/{endpointId}/rotate-secret",
        tags: ["endpoints"],
        summary: "Rotate the endpoint's signing key; the old one signs beside it for 24 h (clinic)",
        protect: true,
      },
    })
    .input(EndpointByIdInputSchema)
    .output(RotateSecretOutputSchema)
    .mutation(({ ctx, input }) =>
      rotateSecret(ctx.services, ctx.principal.clinicId, input.endpointId),
    ),

  recover: authedProcedure
    .meta({
      idempotent: true,
      openapi: {
        method: "POST",
        path: "/endpoints/{endpointId}/recover",
        tags: ["endpoints"],
        summary: "Re-queue the endpoint's failed deliveries created in [since, until)",
        protect: true,
      },
    })
    .input(RecoverEndpointInputSchema)
    .output(RecoverEndpointOutputSchema)
    .mutation(({ ctx, input }) => recoverEndpoint(ctx.services, ctx.principal, input)),
} satisfies TRPCRouterRecord;
