/**
 * What the SDK reads from the insurer's webhooks and API responses — its side of the
 * contract. The SDK's own code reads little: `verifyWebhook` reads the body with the
 * contracts' `readWebhookEvent` and hands back a known event, narrowed by `type`, or an
 * unknown type as such (receiver.ts feeds it what the insurer may add later). What it promises integrators in its README and JSDoc examples is what they will
 * read through it, so that is stated here too: dedupe and order claim events by
 * `data.claimId` and `data.version`, read `data.approvedAmount` from `claim.approved`,
 * keep `id` and `secret` from `endpoints.create`. docs/contracts.md.
 */
import { WEBHOOK_EVENT_TYPES } from "@claimwire/contracts";
import type { ConsumerExpectations } from "@claimwire/contracts/compat";
import { z } from "zod";

/** The claim events (a `claim.` type, the contracts' `isClaimEvent`) that the README says to order. */
const CLAIM_EVENTS = WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith("claim."));

const ClaimEvent = z.object({
  data: z.object({ claimId: z.string(), version: z.number().int().min(1) }),
});

export const sdkExpectations = {
  consumer: "sdk",
  // verifyWebhook accepts every event type of the contracts it is built with.
  receives: WEBHOOK_EVENT_TYPES,
  // The Standard Webhooks envelope: `type` narrows the union; `data` is the payload.
  everyEvent: z.object({ type: z.string(), timestamp: z.iso.datetime(), data: z.object({}) }),
  events: {
    ...Object.fromEntries(CLAIM_EVENTS.map((type) => [type, ClaimEvent])),
    // verify-webhook.ts JSDoc: `if (event.type === "claim.approved") …data.approvedAmount`.
    "claim.approved": ClaimEvent.extend({
      data: ClaimEvent.shape.data.extend({
        approvedAmount: z.object({ amount: z.number().int(), currency: z.string() }),
      }),
    }),
  },
  responses: {
    // README: `const { id, secret } = await insurer.endpoints.create.mutate(…)`.
    "endpoints.create": {
      artefact: "CreateEndpointOutput",
      reads: z.object({ id: z.string(), secret: z.string() }),
    },
    // insurer-client.test.ts: who the API key belongs to.
    me: {
      artefact: "WhoAmIOutput",
      reads: z.object({ role: z.enum(["clinic", "insurer"]) }),
    },
  },
} satisfies ConsumerExpectations;
