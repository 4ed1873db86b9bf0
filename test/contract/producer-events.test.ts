// The contract pipeline against what the insurer really emits: the
// insurer in-process (its own test harness: fresh SQLite, private nats-server) is driven
// through every transition of the claim state machine, a delivery failing until it is
// dead-lettered, its endpoint recovering, and an endpoint being disabled;
// every event it wrote to its events table (the outbox, exactly as delivered) and every
// API response the consumers read must satisfy each consumer's expectations.
import {
  CLAIM_TRANSITIONS,
  type ClaimStatus,
  type DecideClaimInput,
  WEBHOOK_EVENT_TYPES,
} from "@claimwire/contracts";
import { GENERATED_DIR, readArtefactDir } from "@claimwire/contracts/artefact-files";
import {
  artefactSetFromFiles,
  checkEventsAgainstConsumer,
  checkResponsesAgainstConsumer,
  contractJsonSchema,
  type ObservedEvent,
  type ObservedResponse,
  withoutAnnotations,
} from "@claimwire/contracts/compat";
import { appRouter } from "@claimwire/insurer-api";
import {
  type Caller,
  claimInput,
  failUntilDeadLetter,
  startTestInsurer,
  submitAndDispatch,
  succeed,
  type TestInsurer,
} from "@claimwire/insurer-api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { CONSUMERS } from "./consumers.ts";

/** The statuses on the shortest way from `submitted` to `status` (BFS over the state machine). */
function pathTo(status: ClaimStatus): ClaimStatus[] {
  const paths = new Map<ClaimStatus, ClaimStatus[]>([["submitted", ["submitted"]]]);
  const queue: ClaimStatus[] = ["submitted"];
  for (let from = queue.shift(); from; from = queue.shift()) {
    for (const { to } of CLAIM_TRANSITIONS[from]) {
      if (paths.has(to)) continue;
      paths.set(to, [...paths.get(from)!, to]);
      queue.push(to);
    }
  }
  const path = paths.get(status);
  if (!path) throw new Error(`'${status}' cannot be reached from 'submitted'`);
  return path;
}

/** What staff send to move a claim to `to` (each decision carries its own fields). */
function decision(claimId: string, to: DecideClaimInput["to"]): DecideClaimInput {
  switch (to) {
    case "in_review":
    case "approved":
      return { claimId, to };
    case "needs_info":
      return { claimId, to, reasonCodes: ["MISSING_REFERRAL"] };
    case "partially_approved":
      return { claimId, to, approvedAmount: 12_000, reasonCodes: ["EXCEEDS_TARIFF"] };
    case "rejected":
      return { claimId, to, reasonCodes: ["POLICY_INACTIVE"] };
    case "paid":
      return { claimId, to, paymentReference: "PAY-CONTRACT-1" };
  }
}

let h: TestInsurer;
const emitted: ObservedEvent[] = [];
const responses: ObservedResponse[] = [];
const transitions: string[] = [];

beforeAll(async () => {
  h = await startTestInsurer();
  const clinic = await h.newClinic("Contract Clinic");
  const record = <T>(procedure: string, value: T): T => {
    responses.push({ procedure, source: "insurer", value });
    return value;
  };
  const move = async (caller: Caller, claimId: string, to: ClaimStatus, by: string) => {
    if (to === "withdrawn" && by === "clinic") {
      return record("claims.withdraw", await caller.claims.withdraw({ claimId }));
    }
    if (by !== "insurer" || to === "submitted" || to === "withdrawn") {
      throw new Error(
        `no way to drive '${to}' by ${by}: extend test/contract/producer-events.test.ts`,
      );
    }
    return record("claims.decide", await h.staff.claims.decide(decision(claimId, to)));
  };

  const endpoint = record(
    "endpoints.create",
    await clinic.caller.endpoints.create({
      url: "https://clinic.example/webhooks/insurer",
      eventTypes: [...WEBHOOK_EVENT_TYPES],
    }),
  );
  const spare = await clinic.caller.endpoints.create({
    url: "https://spare.clinic.example/webhooks/insurer",
    eventTypes: [...WEBHOOK_EVENT_TYPES],
  });

  // The test webhook: endpoints.sendTest appends a webhook.test for one endpoint.
  record("endpoints.sendTest", await clinic.caller.endpoints.sendTest({ endpointId: endpoint.id }));

  // Every edge of the state machine, each on a fresh claim walked there the shortest way.
  for (const [from, edges] of Object.entries(CLAIM_TRANSITIONS) as [
    ClaimStatus,
    (typeof CLAIM_TRANSITIONS)[ClaimStatus],
  ][]) {
    for (const { to, by } of edges) {
      const claim = record("claims.submit", await clinic.caller.claims.submit(claimInput()));
      const path = pathTo(from);
      for (const [i, step] of path.slice(1).entries()) {
        const previous = path[i]!;
        const edge = CLAIM_TRANSITIONS[previous].find((t) => t.to === step)!;
        await move(clinic.caller, claim.id, step, edge.by);
      }
      await move(clinic.caller, claim.id, to, by);
      transitions.push(`${from} → ${to}`);
      record("claims.byId", await clinic.caller.claims.byId({ claimId: claim.id }));
    }
  }
  record("claims.list", await clinic.caller.claims.list({ limit: 100 }));
  record("me", await clinic.caller.me());

  // The delivery events: a claim event's delivery to the first endpoint fails until it is
  // dead-lettered (delivery.failing, delivery.exhausted); the next one succeeds
  // (endpoint.recovered). The spare endpoint is told.
  const toEndpoint = async () =>
    (await submitAndDispatch(h, clinic.caller)).find((task) => task.endpointId === endpoint.id)!;
  await failUntilDeadLetter(h, await toEndpoint());
  await succeed(h, await toEndpoint());

  // The operational event: the clinic disables one of its two endpoints.
  await clinic.caller.endpoints.disable({ endpointId: spare.id });
  record("endpoints.list", await clinic.caller.endpoints.list());
  record("endpoints.delete", await clinic.caller.endpoints.delete({ endpointId: endpoint.id }));
  // The event feed: the same events again, read as the clinic's reconciliation reads them.
  record("events.list", await clinic.caller.events.list({ limit: 500 }));

  const { events } = h.store.tables;
  for (const row of await h.store.db.select().from(events).orderBy(events.seq)) {
    emitted.push({ source: `insurer events row ${row.seq}`, event: row.payload });
  }
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe("what the insurer really emits", () => {
  it("covers every transition of the state machine and every event type", () => {
    const edges = Object.values(CLAIM_TRANSITIONS).flat().length;
    expect(transitions).toHaveLength(edges);
    const types = new Set(emitted.map(({ event }) => (event as { type: string }).type));
    expect(
      WEBHOOK_EVENT_TYPES.filter((type) => !types.has(type)),
      "event types the insurer was not driven to emit: drive them in test/contract/producer-events.test.ts",
    ).toEqual([]);
  });

  it.each(CONSUMERS.map((c) => [c.consumer, c] as const))(
    "satisfies what the %s reads from every event",
    (_name, consumer) => {
      expect(checkEventsAgainstConsumer(consumer, emitted)).toEqual([]);
    },
  );

  it.each(CONSUMERS.map((c) => [c.consumer, c] as const))(
    "satisfies what the %s reads from every API response",
    (_name, consumer) => {
      const read = Object.keys(consumer.responses ?? {});
      const seen = new Set(responses.map((r) => r.procedure));
      expect(
        read.filter((procedure) => !seen.has(procedure)),
        "responses not exercised",
      ).toEqual([]);
      expect(checkResponsesAgainstConsumer(consumer, responses)).toEqual([]);
    },
  );
});

describe("the API's published schemas", () => {
  const artefacts = artefactSetFromFiles(readArtefactDir(GENERATED_DIR));
  const published = [...artefacts.schemas.values()].map((a) => ({
    name: a.meta.kind === "schema" ? a.meta.name : a.file,
    io: a.meta.io,
    content: JSON.stringify(withoutAnnotations(a.schema)),
  }));
  const procedures = Object.entries(
    (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def
      .procedures,
  );
  type ProcedureDef = { _def: { inputs: z.ZodType[]; output?: z.ZodType } };

  /** The artefact whose content is `schema` (or whose list it is), for the given side. */
  function artefactFor(schema: z.ZodType, io: "input" | "output"): string | undefined {
    const json = withoutAnnotations(contractJsonSchema(schema, io)) as Record<string, unknown>;
    const same = (content: unknown) =>
      published.find((p) => p.io === io && p.content === JSON.stringify(content))?.name;
    const whole = same(json);
    if (whole || json.type !== "array") return whole;
    const item = same(json.items);
    return item && `${item}[]`;
  }

  it("include every procedure's input and output (the router uses only published schemas)", () => {
    const unpublished = procedures.flatMap(([path, procedure]) => [
      ...procedure._def.inputs
        .filter((input) => !artefactFor(input, "input"))
        .map(() => `${path} input`),
      ...(procedure._def.output && !artefactFor(procedure._def.output, "output")
        ? [`${path} output`]
        : []),
    ]);
    expect(
      unpublished,
      "export these from contracts/src/api.ts and run `pnpm --filter @claimwire/contracts generate`",
    ).toEqual([]);
  });

  it.each(CONSUMERS.map((c) => [c.consumer, c] as const))(
    "are the ones the %s's response expectations name",
    (_name, consumer) => {
      const wrong = Object.entries(consumer.responses ?? {}).flatMap(([path, expectation]) => {
        const output = procedures.find(([p]) => p === path)?.[1]._def.output;
        const actual = output ? artefactFor(output, "output") : undefined;
        const named = `${expectation.artefact}${expectation.list ? "[]" : ""}`;
        return actual === named
          ? []
          : [`${path}: expectations name ${named}, it returns ${actual}`];
      });
      expect(wrong).toEqual([]);
    },
  );
});
