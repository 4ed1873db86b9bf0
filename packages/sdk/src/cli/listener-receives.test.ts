import { type FeedEvent, WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { describe, expect, it } from "vitest";
import { listenerReceives } from "./listener-receives.ts";

const event: FeedEvent = {
  id: "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
  type: "claim.approved",
  occurredAt: "2026-12-03T10:00:00.000Z",
  data: WEBHOOK_EVENT_EXAMPLES["claim.approved"],
};

describe("listenerReceives", () => {
  it("matches types as endpoint subscriptions do, and never takes a webhook.test", () => {
    expect(listenerReceives(["*"], event)).toBe(true);
    expect(listenerReceives(["claim.*"], event)).toBe(true);
    expect(listenerReceives(["claim.paid", "claim.approved"], event)).toBe(true);
    expect(listenerReceives(["claim.paid"], event)).toBe(false);
    expect(listenerReceives(["claim.approved.*"], event)).toBe(false);
    const test: FeedEvent = {
      ...event,
      type: "webhook.test",
      data: WEBHOOK_EVENT_EXAMPLES["webhook.test"],
    };
    expect(listenerReceives(["*"], test)).toBe(false);
  });
});
