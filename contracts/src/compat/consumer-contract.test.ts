import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as contracts from "../index.ts";
import { artefactSetFromFiles } from "./artefacts.ts";
import {
  type ConsumerExpectations,
  checkConsumerAgainstArtefacts,
  checkEventsAgainstConsumer,
  checkResponsesAgainstConsumer,
} from "./consumer-contract.ts";
import { collectContractSchemas, renderArtefacts } from "./generate-artefacts.ts";

const artefacts = artefactSetFromFiles(renderArtefacts(collectContractSchemas(contracts)));

const reader: ConsumerExpectations = {
  consumer: "reader",
  receives: ["claim.approved", "claim.paid"],
  everyEvent: z.object({ data: z.object({ claimId: z.string(), version: z.number() }) }),
  events: {
    "claim.approved": z.object({
      data: z.object({ approvedAmount: z.object({ amount: z.number() }) }),
    }),
  },
  responses: {
    "endpoints.list": {
      artefact: "Endpoint",
      list: true,
      reads: z.object({ id: z.string(), enabled: z.boolean() }),
    },
  },
};

describe("checkConsumerAgainstArtefacts", () => {
  it("passes a consumer that reads what the producer sends", () => {
    expect(checkConsumerAgainstArtefacts(reader, artefacts)).toEqual([]);
  });

  it("names the consumer, the event type or procedure, and the field", () => {
    const greedy: ConsumerExpectations = {
      ...reader,
      receives: [...reader.receives, "claim.exploded"],
      events: {
        ...reader.events,
        "claim.paid": z.object({ data: z.object({ paidAt: z.string() }) }),
      },
      responses: {
        "endpoints.list": {
          artefact: "Endpoint",
          list: true,
          reads: z.object({ enabled: z.literal(true) }),
        },
      },
    };
    expect(checkConsumerAgainstArtefacts(greedy, artefacts)).toEqual([
      "reader ✗ claim.paid: data.paidAt — the consumer requires it; the producer does not send it",
      "reader ✗ claim.exploded: the reader receives this event type; the producer no longer defines it",
      "reader ✗ endpoints.list response (Endpoint[]): (root)[].enabled — the consumer accepts only true; the producer may send any boolean",
    ]);
  });
});

describe("checkEventsAgainstConsumer / checkResponsesAgainstConsumer", () => {
  it("checks values of the types the consumer receives, naming the source", () => {
    const paid = contracts.WEBHOOK_EVENT_EXAMPLES["claim.paid"];
    const broken = { ...paid, data: { ...paid.data, version: "4" } };
    expect(
      checkEventsAgainstConsumer(reader, [
        { source: "example", event: contracts.WEBHOOK_EVENT_EXAMPLES["claim.approved"] },
        { source: "example", event: contracts.WEBHOOK_EVENT_EXAMPLES["claim.submitted"] },
        { source: "insurer", event: broken },
      ]),
    ).toEqual([
      "reader ✗ claim.paid (insurer): data.version — Invalid input: expected number, received string",
    ]);
    expect(
      checkResponsesAgainstConsumer(reader, [
        { procedure: "endpoints.list", source: "insurer", value: [{ id: "ep_1" }] },
      ]),
    ).toEqual([
      "reader ✗ endpoints.list response (insurer): 0.enabled — Invalid input: expected boolean, received undefined",
    ]);
  });
});
