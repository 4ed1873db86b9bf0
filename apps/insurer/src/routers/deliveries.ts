import {
  DeliveryAttemptsOutputSchema,
  DeliveryByIdInputSchema,
  DeliveryPageSchema,
  DeliverySchema,
  ListDeliveriesInputSchema,
} from "@claimwire/contracts";
import type { TRPCRouterRecord } from "@trpc/server";
import { listAttempts, listDeliveries, resendDelivery } from "../domain/deliveries.ts";
import { authedProcedure } from "./trpc.ts";

/** A clinic sees its own endpoints' deliveries (another's is NOT_FOUND); staff any. */
export const deliveriesRouter = {
  list: authedProcedure
    .input(ListDeliveriesInputSchema)
    .output(DeliveryPageSchema)
    .query(({ ctx, input }) => listDeliveries(ctx.services, ctx.principal, input)),

  attempts: authedProcedure
    .input(DeliveryByIdInputSchema)
    .output(DeliveryAttemptsOutputSchema)
    .query(({ ctx, input }) => listAttempts(ctx.services, ctx.principal, input.deliveryId)),

  resend: authedProcedure
    .input(DeliveryByIdInputSchema)
    .output(DeliverySchema)
    .mutation(({ ctx, input }) => resendDelivery(ctx.services, ctx.principal, input.deliveryId)),
} satisfies TRPCRouterRecord;
