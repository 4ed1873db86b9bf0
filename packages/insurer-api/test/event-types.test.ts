import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  WEBHOOK_EVENT_SCHEMAS,
  WEBHOOK_EVENT_TYPES,
  WebhookEventSchema,
} from "@claimwire/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectTrpcError,
  STAFF_KEY,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

const generatedEvent = (type: string) =>
  JSON.parse(
    readFileSync(
      fileURLToPath(new URL(`../../../contracts/generated/events/${type}.json`, import.meta.url)),
      "utf8",
    ),
  ) as Record<string, unknown>;

let h: TestInsurer;
beforeAll(async () => {
  h = await startTestInsurer({ start: true });
});
afterAll(async () => {
  await h?.stop();
});

describe("eventTypes.list", () => {
  it("lists every event type of the contracts, in their order", async () => {
    const clinic = await h.newClinic("Catalog Clinic");
    const catalog = await clinic.caller.eventTypes.list();
    expect(catalog.map((e) => e.type)).toEqual(WEBHOOK_EVENT_TYPES);
    expect(await h.staff.eventTypes.list()).toEqual(catalog);
  });

  it("gives each type its description, its generated JSON Schema and a valid example", async () => {
    for (const entry of await h.staff.eventTypes.list()) {
      expect(entry.description).toBe(WEBHOOK_EVENT_SCHEMAS[entry.type].description);
      expect(entry.description.length).toBeGreaterThan(0);
      const { $comment: _header, ...generated } = generatedEvent(entry.type);
      expect(entry.schema).toEqual(generated);
      expect(entry.example.type).toBe(entry.type);
      expect(WEBHOOK_EVENT_SCHEMAS[entry.type].safeParse(entry.example).success).toBe(true);
      expect(WebhookEventSchema.parse(entry.example)).toEqual(entry.example);
    }
  });

  it("needs a key", async () => {
    await expectTrpcError(h.caller(null).eventTypes.list(), "UNAUTHORIZED");
  });

  it("is served over REST at GET /api/v1/event-types", async () => {
    const url = new URL("/api/v1/event-types", h.url).toString();
    const res = await fetch(url, { headers: { authorization: `Bearer ${STAFF_KEY}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { type: string; schema: unknown }[];
    expect(body.map((e) => e.type)).toEqual(WEBHOOK_EVENT_TYPES);
    expect((await fetch(url)).status).toBe(401);
  });
});
