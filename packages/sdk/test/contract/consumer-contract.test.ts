// The SDK as a consumer of the insurer's contract. What the insurer
// really emits is checked against these expectations in test/contract (it drives the
// insurer); here: the producer's examples, its generated JSON Schemas, and the SDK's own
// verification of every example.
import { randomBytes } from "node:crypto";
import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { GENERATED_DIR, readArtefactDir } from "@claimwire/contracts/artefact-files";
import {
  artefactSetFromFiles,
  checkConsumerAgainstArtefacts,
  checkConsumerTolerance,
  checkEventsAgainstConsumer,
  evolutionProbes,
} from "@claimwire/contracts/compat";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/index.ts";
import { sdkExpectations } from "./expectations.ts";
import { sdkUnderTest } from "./receiver.ts";

const examples = Object.values(WEBHOOK_EVENT_EXAMPLES);

describe("the SDK's expectations of the insurer", () => {
  it("are met by every producer example", () => {
    const observed = examples.map((event) => ({ source: "contracts example", event }));
    expect(checkEventsAgainstConsumer(sdkExpectations, observed)).toEqual([]);
  });

  it("cannot be broken by any value the producer's generated schemas allow", () => {
    const artefacts = artefactSetFromFiles(readArtefactDir(GENERATED_DIR));
    expect(checkConsumerAgainstArtefacts(sdkExpectations, artefacts)).toEqual([]);
  });

  it("cover every event type the SDK verifies, and verifyWebhook accepts each example", () => {
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const signer = new Webhook(secret);
    const now = new Date();
    for (const event of examples) {
      expect(sdkExpectations.receives).toContain(event.type);
      const body = JSON.stringify(event);
      const headers = {
        "webhook-id": "evt_1",
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": signer.sign("evt_1", now, body),
      };
      expect(verifyWebhook({ body, headers, secret })).toMatchObject({ known: true, event });
    }
  });

  it("accepts what the insurer may add without a new version: new event types, new fields", async () => {
    const probes = evolutionProbes(WEBHOOK_EVENT_EXAMPLES);
    expect(await checkConsumerTolerance(sdkUnderTest, probes)).toEqual([]);
  });
});
