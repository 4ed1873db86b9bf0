import { describe, expect, it } from "vitest";
import { ClaimStatusSchema } from "./claim-status.ts";
import { WEBHOOK_EVENT_EXAMPLES } from "./webhook-event-examples.ts";
import {
  CLAIM_EVENT_TYPES,
  eventTypeForStatus,
  isClaimEvent,
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
    expect([...types].sort()).toEqual([...CLAIM_EVENT_TYPES].sort());
  });

  it("has the claim events plus the operational events, and tells them apart", () => {
    const operational = [
      "endpoint.disabled",
      "webhook.test",
      "delivery.failing",
      "delivery.exhausted",
      "endpoint.recovered",
    ];
    expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual([...CLAIM_EVENT_TYPES, ...operational].sort());
    for (const type of WEBHOOK_EVENT_TYPES) {
      expect(isClaimEvent(WEBHOOK_EVENT_EXAMPLES[type])).toBe(!operational.includes(type));
    }
  });

  it("carries no claim id or version in endpoint.disabled, and only known reasons", () => {
    const example = WEBHOOK_EVENT_EXAMPLES["endpoint.disabled"];
    expect(example.data).not.toHaveProperty("claimId");
    expect(example.data).not.toHaveProperty("version");
    const result = WebhookEventSchema.safeParse({
      ...example,
      data: { ...example.data, reason: "bored" },
    });
    expect(result.success).toBe(false);
    expect(
      WebhookEventSchema.parse({ ...example, data: { ...example.data, failingSince: null } }).type,
    ).toBe("endpoint.disabled");
  });

  it("carries ids, counts and error classes in the delivery events: no claim, URL or error text", () => {
    for (const type of ["delivery.failing", "delivery.exhausted", "endpoint.recovered"] as const) {
      const { data } = WEBHOOK_EVENT_EXAMPLES[type];
      for (const field of ["claimId", "version", "url", "lastError", "responseBody"]) {
        expect(data).not.toHaveProperty(field);
      }
    }
    const failing = WEBHOOK_EVENT_EXAMPLES["delivery.failing"];
    const withClass = (lastErrorClass: string) =>
      WebhookEventSchema.safeParse({ ...failing, data: { ...failing.data, lastErrorClass } });
    expect(withClass("bored").success).toBe(false);
    expect(withClass("timeout").success).toBe(true);
    const noAttempts = { ...failing, data: { ...failing.data, failedAttempts: 0 } };
    expect(WebhookEventSchema.safeParse(noAttempts).success).toBe(false);
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
