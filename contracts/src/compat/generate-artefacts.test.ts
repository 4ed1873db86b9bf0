import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as contracts from "../index.ts";
import { artefactSetFromFiles } from "./artefacts.ts";
import { collectContractSchemas, GENERATED_HEADER, renderArtefacts } from "./generate-artefacts.ts";

const event = (type: string, data: z.ZodRawShape) =>
  z.object({ type: z.literal(type), timestamp: z.string(), data: z.object(data) });

describe("collectContractSchemas", () => {
  it("takes every event type and every structured …Schema export, without being told", () => {
    const ReminderSentEventSchema = event("claim.reminder_sent", { claimId: z.string() });
    const sources = collectContractSchemas({
      ...contracts,
      WEBHOOK_EVENT_SCHEMAS: {
        ...contracts.WEBHOOK_EVENT_SCHEMAS,
        "claim.reminder_sent": ReminderSentEventSchema,
      },
      ReminderSentEventSchema,
      PauseEndpointInputSchema: z.object({ endpointId: z.string(), until: z.string() }),
    });
    expect(sources.events.map((e) => e.type)).toEqual(
      [...Object.keys(contracts.WEBHOOK_EVENT_SCHEMAS), "claim.reminder_sent"].sort(),
    );
    const names = sources.schemas.map((s) => s.name);
    expect(names).toContain("PauseEndpointInput");
    expect(sources.schemas.find((s) => s.name === "PauseEndpointInput")?.io).toBe("input");
    expect(sources.schemas.find((s) => s.name === "Claim")?.io).toBe("output");
    // Leaf schemas live inside messages; event schemas and unions of them live in events/.
    expect(names).not.toContain("ClaimId");
    expect(names).not.toContain("ClaimStatus");
    expect(names).not.toContain("ReminderSentEvent");
    expect(names).not.toContain("WebhookEvent");
  });

  it("refuses an event schema whose type literal is not its key", () => {
    const sources = collectContractSchemas({
      WEBHOOK_EVENT_SCHEMAS: { "claim.approved.v2": event("claim.approved", {}) },
    });
    expect(() => renderArtefacts(sources)).toThrow(
      `WEBHOOK_EVENT_SCHEMAS['claim.approved.v2'] must have \`type: z.literal("claim.approved.v2")\``,
    );
  });
});

describe("renderArtefacts", () => {
  const files = renderArtefacts(collectContractSchemas(contracts));

  it("writes one file per event type and message, each marked as generated", () => {
    for (const type of contracts.WEBHOOK_EVENT_TYPES)
      expect(files.has(`events/${type}.json`)).toBe(true);
    expect(files.has("schemas/SubmitClaimInput.json")).toBe(true);
    for (const [file, text] of files) {
      expect(JSON.parse(text).$comment, file).toBe(GENERATED_HEADER);
    }
  });

  it("describes each file so that the checks need nothing else", () => {
    const set = artefactSetFromFiles(files);
    expect(set.events.get("claim.approved")?.meta).toEqual({
      kind: "event",
      io: "output",
      eventType: "claim.approved",
      family: "claim.approved",
      version: 1,
    });
    expect(set.schemas.get("SubmitClaimInput")?.meta).toEqual({
      kind: "schema",
      io: "input",
      name: "SubmitClaimInput",
    });
  });

  it("generates requests for their input side: a field with a default is optional", () => {
    const list = JSON.parse(files.get("schemas/ListClaimsInput.json")!);
    expect(list.required ?? []).not.toContain("limit");
    expect(list.properties.limit.default).toBe(20);
  });

  it("publishes events and responses open to fields added later; strict objects and requests keep what they say", () => {
    /** Every object schema in a JSON Schema, with its path. */
    const objects = (node: unknown, path = "(root)"): [string, Record<string, unknown>][] => {
      if (typeof node !== "object" || node === null) return [];
      const here = (node as { type?: unknown }).type === "object" ? [[path, node]] : [];
      return [
        ...(here as [string, Record<string, unknown>][]),
        ...Object.entries(node).flatMap(([key, value]) => objects(value, `${path}.${key}`)),
      ];
    };
    const closed = (file: string) =>
      objects(JSON.parse(files.get(file)!))
        .filter(([, schema]) => schema.additionalProperties === false)
        .map(([path]) => path);
    for (const type of contracts.WEBHOOK_EVENT_TYPES) {
      expect(closed(`events/${type}.json`), type).toEqual([]);
      expect(objects(JSON.parse(files.get(`events/${type}.json`)!)).length).toBeGreaterThan(1);
    }
    for (const name of ["Claim", "Endpoint", "EventPage"]) {
      expect(closed(`schemas/${name}.json`), name).toEqual([]);
    }
    const strict = renderArtefacts(
      collectContractSchemas({
        WEBHOOK_EVENT_SCHEMAS: {},
        PingOutputSchema: z.object({ pong: z.strictObject({ at: z.string() }) }),
        PingInputSchema: z.strictObject({ at: z.string() }),
      }),
    );
    const ping = JSON.parse(strict.get("schemas/PingOutput.json")!);
    expect(ping.additionalProperties).toBeUndefined();
    expect(ping.properties.pong.additionalProperties).toBe(false);
    expect(JSON.parse(strict.get("schemas/PingInput.json")!).additionalProperties).toBe(false);
  });

  it("is deterministic", () => {
    expect(renderArtefacts(collectContractSchemas(contracts))).toEqual(files);
  });
});
