import {
  ClaimByIdInputSchema,
  ClaimPageSchema,
  ClaimSchema,
  DecideClaimInputSchema,
  ListClaimsInputSchema,
  QueueInputSchema,
  SubmitClaimInputSchema,
} from "@claimwire/contracts";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import {
  claimQueue,
  decideClaim,
  getClaim,
  listClaims,
  submitClaim,
  withdrawClaim,
} from "../domain/claims.ts";
import { authedProcedure, clinicProcedure, staffProcedure } from "./trpc.ts";

export const claimsRouter = {
  submit: clinicProcedure
    .input(SubmitClaimInputSchema)
    .output(ClaimSchema)
    .mutation(({ ctx, input }) => submitClaim(ctx.services, ctx.principal.clinicId, input)),

  byId: authedProcedure
    .input(ClaimByIdInputSchema)
    .output(ClaimSchema)
    .query(({ ctx, input }) => getClaim(ctx.services, ctx.principal, input.claimId)),

  list: clinicProcedure
    .input(ListClaimsInputSchema)
    .output(ClaimPageSchema)
    .query(({ ctx, input }) => listClaims(ctx.services, ctx.principal.clinicId, input)),

  withdraw: clinicProcedure
    .input(ClaimByIdInputSchema)
    .output(ClaimSchema)
    .mutation(({ ctx, input }) =>
      withdrawClaim(ctx.services, ctx.principal.clinicId, input.claimId),
    ),

  decide: staffProcedure
    .input(DecideClaimInputSchema)
    .output(ClaimSchema)
    .mutation(({ ctx, input }) => decideClaim(ctx.services, input)),

  queue: staffProcedure
    .input(QueueInputSchema)
    .output(z.array(ClaimSchema))
    .query(({ ctx, input }) => claimQueue(ctx.services, input.limit)),
} satisfies TRPCRouterRecord;
