import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as contracts from "../index.ts";
import { artefactSetFromFiles } from "./artefacts.ts";
import {
  type ConsumerExpectations,
  type ConsumerUnderTest,
  checkConsumerAgainstArtefacts,
  checkConsumerTolerance,
  checkEventsAgainstConsumer,
  checkResponsesAgainstConsumer,
  evolutionProbes,
  PROBE_EVENT_TYPE,
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

describe("checkConsumerTolerance (check c: what the insurer may add)", () => {
  const probes = evolutionProbes(contracts.WEBHOOK_EVENT_EXAMPLES);

  it("probes a new event type and a new field in every object of every example", () => {
    const bodies = probes.map((p) => JSON.parse(p.body));
    expect(bodies[0].type).toBe(PROBE_EVENT_TYPE);
    expect(probes.map((p) => p.name)).toContain("a new field in every object of claim.paid");
    const paid = bodies.find((b) => b.type === "claim.paid" && "addedLater" in b);
    expect(paid.data.addedLater).toBeDefined();
    expect(paid.data.paidAmount.addedLater).toBeDefined();
    expect(probes.some((p) => p.body.includes('"__proto__"'))).toBe(true);
  });

  it("passes a consumer that accepts and ignores what it does not know", async () => {
    const lenient: ConsumerUnderTest = {
      consumer: "lenient",
      receive(body) {
        const read = contracts.readWebhookEvent(JSON.parse(body));
        if (read.kind === "invalid") throw new Error(read.problem);
      },
    };
    expect(await checkConsumerTolerance(lenient, probes)).toEqual([]);
  });

  it("fails a consumer that refuses an event type it does not know", async () => {
    const closedUnion: ConsumerUnderTest = {
      consumer: "strict-types",
      receive: (body) => void contracts.WebhookEventSchema.parse(JSON.parse(body)),
    };
    const problems = await checkConsumerTolerance(closedUnion, probes);
    expect(problems).toEqual([
      expect.stringMatching(
        /^strict-types ✗ a new event type: refused — type: Invalid discriminator value\. Expected 'claim\.submitted' \| /,
      ),
      expect.stringMatching(
        /^strict-types ✗ a new event type named 'constructor', with __proto__ keys: refused/,
      ),
    ]);
  });

  it("fails a consumer that refuses fields it does not know", async () => {
    /** Throws on the first key of `raw` that the parsed (known) event does not have. */
    const refuseUnknownKeys = (raw: unknown, known: unknown, path: string): void => {
      if (typeof raw !== "object" || raw === null) return;
      for (const [key, value] of Object.entries(raw)) {
        if (!Object.hasOwn(known as object, key)) throw new Error(`unknown field ${path}${key}`);
        refuseUnknownKeys(value, (known as Record<string, unknown>)[key], `${path}${key}.`);
      }
    };
    const strictFields: ConsumerUnderTest = {
      consumer: "strict-fields",
      receive(body) {
        const read = contracts.readWebhookEvent(JSON.parse(body));
        if (read.kind === "invalid") throw new Error(read.problem);
        if (read.kind === "known") refuseUnknownKeys(JSON.parse(body), read.event, "");
      },
    };
    const problems = await checkConsumerTolerance(strictFields, probes);
    expect(problems).toContain(
      "strict-fields ✗ a new field in every object of claim.paid: refused — unknown field data.total.addedLater",
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^strict-fields ✗ keys named __proto__, constructor and prototype in [a-z._]+: refused — unknown field __proto__$/,
      ),
    );
    expect(problems).toHaveLength(contracts.WEBHOOK_EVENT_TYPES.length + 1);
  });

  it("fails a consumer that lets a body's __proto__ reach Object.prototype", async () => {
    const polluting: ConsumerUnderTest = {
      consumer: "merging",
      receive(body) {
        // A naive deep merge: assigns through the inherited __proto__ setter.
        const merge = (into: Record<string, unknown>, from: Record<string, unknown>) => {
          for (const [key, value] of Object.entries(from)) {
            if (typeof value === "object" && value !== null) {
              into[key] ??= {};
              merge(into[key] as Record<string, unknown>, value as Record<string, unknown>);
            } else into[key] = value;
          }
        };
        merge({}, JSON.parse(body));
      },
    };
    const problems = await checkConsumerTolerance(polluting, probes);
    expect(problems).toContain(
      "merging ✗ a new event type named 'constructor', with __proto__ keys: Object.prototype gained 'polluted', 'isAdmin'",
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
