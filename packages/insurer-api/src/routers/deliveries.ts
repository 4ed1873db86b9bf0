import {
  DeliveryAttemptsOutputSchema,
  DeliveryByIdInputSchema,
  DeliveryPageSchema,
  DeliverySchema,
  ListDeliveriesInputSchema,
} from "@claimwire/contracts";
import { listAttempts, listDeliveries, resendDelivery } from "@claimwire/insurer-domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { authedProcedure } from "./trpc.ts";

/** A clinic sees its own endpoints' deliveries (another's is NOT_FOUND); staff any. */
export const deliveriesRouter = {
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/endpoints/{endpointId}/deliveries",
        tags: ["deliveries"],
        summary: "List an endpoint's deliveries, newest first (cursor pages)",
        protect: true,
      },
    })
    .input(ListDeliveriesInputSchema)
    .output(DeliveryPageSchema)
    .query(({ ctx, input }) => listDeliveries(ctx.services, ctx.principal, input)),

  attempts: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/deliveries/{deliveryId}/attempts",
        tags: ["deliveries"],
        summary: "Every attempt of a delivery, oldest first",
        protect: true,
      },
    })
    .input(DeliveryByIdInputSchema)
    .output(DeliveryAttemptsOutputSchema)
    .query(({ ctx, input }) => listAttempts(ctx.services, ctx.principal, input.deliveryId)),

  resend: authedProcedure
    .meta({
      idempotent: true,
      openapi: {
        method: "POST",
        path: "/deliveries/{deliveryId}/resend",
        tags: ["deliveries"],
        summary: "Send a delivery again now (manual attempt)",
        protect: true,
      },
    })
    .input(DeliveryByIdInputSchema)
    .output(DeliverySchema)
    .mutation(({ ctx, input }) => resendDelivery(ctx.services, ctx.principal, input.deliveryId)),
} satisfies TRPCRouterRecord;
