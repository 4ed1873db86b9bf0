import { describe, expect, it } from "vitest";
import { ClaimStatusSchema } from "./claim-status.ts";
import { WEBHOOK_EVENT_EXAMPLES } from "./webhook-event-examples.ts";
import {
  eventTypeForStatus,
  WEBHOOK_EVENT_SCHEMAS,
  WEBHOOK_EVENT_TYPES,
  WebhookEventSchema,
} from "./webhook-events.ts";

describe("webhook events", () => {
  it.each(WEBHOOK_EVENT_TYPES)(
    "the %s example parses with its own schema and the union",
    (type) => {
      const example = WEBHOOK_EVENT_EXAMPLES[type];
      expect(WEBHOOK_EVENT_SCHEMAS[type].parse(example)).toEqual(example);
      expect(WebhookEventSchema.parse(example).type).toBe(type);
    },
  );

  it("has exactly one event type per claim status", () => {
    const types = ClaimStatusSchema.options.map(eventTypeForStatus);
    expect(new Set(types).size).toBe(ClaimStatusSchema.options.length);
    expect([...types].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it("rejects an event whose status does not match its type", () => {
    const wrong = {
      ...WEBHOOK_EVENT_EXAMPLES["claim.approved"],
      data: { ...WEBHOOK_EVENT_EXAMPLES["claim.approved"].data, status: "rejected" },
    };
    expect(WebhookEventSchema.safeParse(wrong).success).toBe(false);
  });

  it("rejects a rejection without reason codes", () => {
    const example = WEBHOOK_EVENT_EXAMPLES["claim.rejected"];
    const result = WebhookEventSchema.safeParse({
      ...example,
      data: { ...example.data, reasonCodes: [] },
    });
    expect(result.success).toBe(false);
  });

  it("rejects an unknown event type", () => {
    const result = WebhookEventSchema.safeParse({
      ...WEBHOOK_EVENT_EXAMPLES["claim.paid"],
      type: "claim.exploded",
    });
    expect(result.success).toBe(false);
  });
});
