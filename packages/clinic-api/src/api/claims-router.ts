import { ClaimIdSchema } from "@claimwire/contracts";
import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { ClaimDetailSchema, claimTimeline } from "../claims/claim-timeline.ts";
import { ClinicSubmitClaimInputSchema } from "../claims/clinic-submit-input.ts";
import { ClaimListItemSchema, listClaims } from "../claims/list-claims.ts";
import { submitClaim } from "../claims/submit-claim.ts";
import { submitErrorFrom } from "./submit-error.ts";
import { publicProcedure } from "./trpc.ts";

export const claimsRouter = {
  /** The clinic's claims, most recently changed first, with the time left for a decision. */
  list: publicProcedure
    .output(z.array(ClaimListItemSchema))
    .query(({ ctx }) => listClaims(ctx.db, ctx.clock.now())),

  /** One claim with its full timeline: each status, when it happened, arrived, was applied. */
  byId: publicProcedure
    .input(z.object({ claimId: z.string().min(1).max(64) }))
    .output(ClaimDetailSchema)
    .query(({ ctx, input }) => {
      const claim = claimTimeline(ctx.db, input.claimId, ctx.clock.now());
      if (!claim) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No claim with id '${input.claimId}'` });
      }
      return claim;
    }),

  /**
   * Submits a claim to the insurer (validated by the shared contract first) and stores it,
   * with the patient's e-mail address if given (kept at the clinic only).
   */
  submit: publicProcedure
    .input(ClinicSubmitClaimInputSchema)
    .output(z.object({ claimId: ClaimIdSchema, clinicReference: z.string() }))
    .mutation(async ({ ctx, input }) => {
      let claim: Awaited<ReturnType<typeof submitClaim>>;
      try {
        claim = await submitClaim(ctx, input);
      } catch (error) {
        const refused = submitErrorFrom(error);
        ctx.logger.warn({ code: refused.code, error: refused.message }, "claim submission failed");
        throw refused;
      }
      // A webhook that came before the insurer's answer may now apply.
      ctx.wakeProcessor();
      ctx.changes.publish({
        kind: "claim",
        claimId: claim.id,
        clinicReference: claim.clinicReference,
        status: claim.status,
        version: claim.version,
      });
      return { claimId: claim.id, clinicReference: claim.clinicReference };
    }),
} satisfies TRPCRouterRecord;
