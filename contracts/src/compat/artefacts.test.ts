import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as contracts from "../index.ts";
import { artefactSetFromFiles, compareArtefactSets, formatBreakingChanges } from "./artefacts.ts";
import { collectContractSchemas, renderArtefacts } from "./generate-artefacts.ts";

const current = collectContractSchemas(contracts);
const baseline = artefactSetFromFiles(renderArtefacts(current));
const withEvents = (events: Record<string, z.ZodType>) =>
  artefactSetFromFiles(
    renderArtefacts(collectContractSchemas({ ...contracts, WEBHOOK_EVENT_SCHEMAS: events })),
  );

describe("compareArtefactSets", () => {
  it("finds nothing between a generation and itself", () => {
    expect(compareArtefactSets(baseline, baseline)).toEqual([]);
  });

  it("lets a new event type through, and a new version beside the old one", () => {
    const approved = contracts.WEBHOOK_EVENT_SCHEMAS["claim.approved"];
    const v2 = approved.extend({ type: z.literal("claim.approved.v2") });
    const changes = compareArtefactSets(
      baseline,
      withEvents({ ...contracts.WEBHOOK_EVENT_SCHEMAS, "claim.approved.v2": v2 }),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        subject: "event claim.approved.v2",
        rule: "event-type-added",
        breaking: false,
      }),
    ]);
  });

  it("lets a new event type of a new family through (receivers must accept and ignore it)", () => {
    const reopened = z.object({
      type: z.literal("claim.reopened"),
      timestamp: z.string(),
      data: z.object({ claimId: contracts.ClaimIdSchema, version: z.number().int() }),
    });
    const changes = compareArtefactSets(
      baseline,
      withEvents({ ...contracts.WEBHOOK_EVENT_SCHEMAS, "claim.reopened": reopened }),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        subject: "event claim.reopened",
        rule: "event-type-added",
        breaking: false,
      }),
    ]);
    expect(formatBreakingChanges(changes)).toBe("");
  });

  it("lets a new optional field in an event through", () => {
    const paid = contracts.WEBHOOK_EVENT_SCHEMAS["claim.paid"];
    const withNote = paid.extend({
      data: paid.shape.data.extend({ payerNote: z.string().max(200).optional() }),
    });
    const changes = compareArtefactSets(
      baseline,
      withEvents({ ...contracts.WEBHOOK_EVENT_SCHEMAS, "claim.paid": withNote }),
    );
    // (The unions of the old event schemas no longer match WEBHOOK_EVENT_SCHEMAS here, so
    // they show up as messages; only the event matters.)
    expect(changes.filter((c) => c.artefact.kind === "event")).toEqual([
      expect.objectContaining({
        subject: "event claim.paid",
        rule: "field-added",
        path: "data.payerNote",
        breaking: false,
      }),
    ]);
    expect(formatBreakingChanges(changes)).toBe("");
  });

  it("stops a removed event type", () => {
    const { "claim.withdrawn": _gone, ...rest } = contracts.WEBHOOK_EVENT_SCHEMAS;
    const changes = compareArtefactSets(baseline, withEvents(rest));
    expect(changes.filter((c) => c.breaking)).toEqual([
      expect.objectContaining({
        subject: "event claim.withdrawn",
        rule: "event-type-removed",
        breaking: true,
      }),
    ]);
  });
});

describe("formatBreakingChanges", () => {
  it("names each break and says how to ship it: a new version, or a deliberate baseline", () => {
    const approved = contracts.WEBHOOK_EVENT_SCHEMAS["claim.approved"];
    const renamed = approved.extend({
      data: approved.shape.data.omit({ approvedAmount: true }).extend({
        approvedTotal: contracts.MoneySchema,
      }),
    });
    const changes = compareArtefactSets(
      baseline,
      withEvents({ ...contracts.WEBHOOK_EVENT_SCHEMAS, "claim.approved": renamed }),
    );
    const message = formatBreakingChanges(changes);
    expect(message).toContain(
      "✗ event claim.approved: data.approvedAmount — removed (was required) (renamed to 'approvedTotal'?) [field-removed]",
    );
    expect(message).toContain("add 'claim.approved.v2' to WEBHOOK_EVENT_SCHEMAS");
    expect(message).toContain("pnpm --filter @claimwire/contracts baseline");
    expect(formatBreakingChanges(changes.filter((c) => !c.breaking))).toBe("");
  });
});
