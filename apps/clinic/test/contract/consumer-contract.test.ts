// The clinic as a consumer of the insurer's contract. What the insurer
// really emits is checked against these expectations in test/contract (it drives the
// insurer); here: the producer's examples and its generated JSON Schemas.

import { ensureEndpoint } from "@claimwire/clinic-api";
import { createTestClinic, silentLogger } from "@claimwire/clinic-api/testing";
import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { GENERATED_DIR, readArtefactDir } from "@claimwire/contracts/artefact-files";
import {
  artefactSetFromFiles,
  checkConsumerAgainstArtefacts,
  checkConsumerTolerance,
  checkEventsAgainstConsumer,
  evolutionProbes,
} from "@claimwire/contracts/compat";
import { newId } from "@claimwire/ids";
import { generateSecret } from "@claimwire/webhooks";
import { describe, expect, it } from "vitest";
import { clinicExpectations } from "./expectations.ts";
import { clinicUnderTest } from "./receiver.ts";

type EnsureClient = Parameters<typeof ensureEndpoint>[0]["client"];

describe("the clinic's expectations of the insurer", () => {
  it("cover exactly the event types the clinic subscribes to", async () => {
    const clinic = createTestClinic({ register: false });
    try {
      let subscribed: readonly string[] = [];
      // Stands in for the insurer's endpoints API; only the subscription is of interest.
      const client = {
        endpoints: {
          list: { query: async () => [] },
          create: {
            mutate: async (input: { eventTypes: readonly string[] }) => {
              subscribed = input.eventTypes;
              return { id: newId("endpoint"), secret: generateSecret() };
            },
          },
          delete: {
            mutate: async ({ endpointId }: { endpointId: string }) => ({ id: endpointId }),
          },
        },
      } as unknown as EnsureClient;
      await ensureEndpoint({
        db: clinic.db,
        client,
        publicUrl: "http://127.0.0.1:3000",
        logger: silentLogger,
        clock: clinic.clock,
      });
      expect(
        [...subscribed].sort(),
        "apps/clinic/test/contract/expectations.ts `receives` must list what the clinic subscribes to",
      ).toEqual([...clinicExpectations.receives].sort());
    } finally {
      clinic.close();
    }
  });

  it("are met by every producer example", () => {
    const examples = Object.values(WEBHOOK_EVENT_EXAMPLES).map((event) => ({
      source: "contracts example",
      event,
    }));
    expect(checkEventsAgainstConsumer(clinicExpectations, examples)).toEqual([]);
  });

  it("cannot be broken by any value the producer's generated schemas allow", () => {
    const artefacts = artefactSetFromFiles(readArtefactDir(GENERATED_DIR));
    expect(checkConsumerAgainstArtefacts(clinicExpectations, artefacts)).toEqual([]);
  });

  it("accepts what the insurer may add without a new version: new event types, new fields", async () => {
    const probes = evolutionProbes(WEBHOOK_EVENT_EXAMPLES);
    expect(await checkConsumerTolerance(clinicUnderTest, probes)).toEqual([]);
  });
});
