import {
  ClaimByIdInputSchema,
  ClaimPageSchema,
  ClaimSchema,
  DecideClaimInputSchema,
  ListClaimsInputSchema,
  QueueInputSchema,
  SubmitClaimInputSchema,
} from "@claimwire/contracts";
import {
  claimQueue,
  decideClaim,
  getClaim,
  listClaims,
  submitClaim,
  withdrawClaim,
} from "@claimwire/insurer-domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { authedProcedure, clinicProcedure, staffProcedure } from "./trpc.ts";

export const claimsRouter = {
  submit: clinicProcedure
    .meta({
      idempotent: true,
      openapi: {
        method: "POST",
        path: "/claims",
        tags: ["claims"],
        summary: "Submit a claim (clinic; idempotent on clinicReference)",
        protect: true,
      },
    })
    .input(SubmitClaimInputSchema)
    .output(ClaimSchema)
    .mutation(({ ctx, input }) => submitClaim(ctx.services, ctx.principal.clinicId, input)),

  byId: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/claims/{claimId}",
        tags: ["claims"],
        summary: "Read a claim (a clinic its own; staff any)",
        protect: true,
      },
    })
    .input(ClaimByIdInputSchema)
    .output(ClaimSchema)
    .query(({ ctx, input }) => getClaim(ctx.services, ctx.principal, input.claimId)),

  list: clinicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/claims",
        tags: ["claims"],
        summary: "List the clinic's claims, newest first (cursor pages)",
        protect: true,
      },
    })
    .input(ListClaimsInputSchema)
    .output(ClaimPageSchema)
    .query(({ ctx, input }) => listClaims(ctx.services, ctx.principal.clinicId, input)),

  withdraw: clinicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/claims/{claimId}/withdraw",
        tags: ["claims"],
        summary: "Withdraw an open claim (clinic)",
        protect: true,
      },
    })
    .input(ClaimByIdInputSchema)
    .output(ClaimSchema)
    .mutation(({ ctx, input }) =>
      withdrawClaim(ctx.services, ctx.principal.clinicId, input.claimId),
    ),

  decide: staffProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/claims/{claimId}/decision",
        tags: ["claims"],
        summary: "Decide a claim (staff)",
        protect: true,
      },
    })
    .input(DecideClaimInputSchema)
    .output(ClaimSchema)
    .mutation(({ ctx, input }) => decideClaim(ctx.services, input)),

  queue: staffProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/review-queue",
        tags: ["claims"],
        summary: "Open claims, earliest deadline first (staff)",
        protect: true,
      },
    })
    .input(QueueInputSchema)
    .output(z.array(ClaimSchema))
    .query(({ ctx, input }) => claimQueue(ctx.services, input.limit)),
} satisfies TRPCRouterRecord;
