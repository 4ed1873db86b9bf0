// Check (c) for every consumer we ship: each is fed, through its real entry point, what
// the insurer may add without a new version — an event type no contract defines, a new
// field in every object of every event, keys named like Object.prototype's — and must
// accept all of it. A consumer written the strict way fails the same check, by name.

import * as contracts from "@claimwire/contracts";
import {
  type ConsumerUnderTest,
  checkConsumerTolerance,
  evolutionProbes,
} from "@claimwire/contracts/compat";
import { verifyStandardWebhook } from "@claimwire/sdk";
import { buildWebhookHeaders, generateSecret } from "@claimwire/webhooks";
import { describe, expect, it } from "vitest";
import { CONSUMER_ENTRY_POINTS, CONSUMERS } from "./consumers.ts";

const probes = evolutionProbes(contracts.WEBHOOK_EVENT_EXAMPLES);

describe("every consumer we ship", () => {
  it("has its real entry point in the tolerance check", () => {
    expect(CONSUMER_ENTRY_POINTS.map((c) => c.consumer).sort()).toEqual(
      CONSUMERS.map((c) => c.consumer).sort(),
    );
  });

  it.each(CONSUMER_ENTRY_POINTS)(
    "$consumer accepts a new event type and new fields, and keeps __proto__ keys inert",
    async (consumer) => {
      expect(await checkConsumerTolerance(consumer, probes)).toEqual([]);
    },
  );
});

describe("a consumer that rejects what it does not know", () => {
  it("fails the check, naming each probe it refused", async () => {
    // Verifies the signature, then parses with the closed union of the contracts it was
    // built with, strict about fields: what a receiver looked like before this check.
    const secret = generateSecret();
    const strictTypes = refusingUnknownFields(contracts.WebhookEventSchema);
    const strict: ConsumerUnderTest = {
      consumer: "strict receiver",
      receive(body) {
        const headers = buildWebhookHeaders({
          secrets: [secret],
          msgId: "evt_probe",
          timestamp: Math.floor(Date.now() / 1000),
          body,
        });
        strictTypes(JSON.parse(verifyStandardWebhook({ body, headers, secret }).body));
      },
    };
    const problems = await checkConsumerTolerance(strict, probes);
    expect(problems).toContainEqual(
      expect.stringMatching(/^strict receiver ✗ a new event type: refused — type: /),
    );
    expect(problems).toContain(
      "strict receiver ✗ a new field in every object of claim.approved: refused — unknown field addedLater",
    );
    expect(problems).toHaveLength(probes.length);
  });
});

/** A parse that refuses the body's top-level fields its schema does not declare. */
function refusingUnknownFields(schema: typeof contracts.WebhookEventSchema) {
  return (json: unknown) => {
    const event = schema.parse(json);
    for (const key of Object.keys(json as object)) {
      if (!Object.hasOwn(event, key)) throw new Error(`unknown field ${key}`);
    }
  };
}
