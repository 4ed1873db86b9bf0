import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { describe, expect, it } from "vitest";
import { endpointReceives } from "./endpoint-subscription.ts";

const paid = WEBHOOK_EVENT_EXAMPLES["claim.paid"];
const test = WEBHOOK_EVENT_EXAMPLES["webhook.test"];

describe("endpointReceives", () => {
  it("matches exact types, dotted prefixes and the catch-all", () => {
    const receives = (...eventTypes: string[]) =>
      endpointReceives({ id: "ep_x", eventTypes }, paid);
    expect(receives("claim.paid")).toBe(true);
    expect(receives("claim.*")).toBe(true);
    expect(receives("*")).toBe(true);
    expect(receives("claim.approved", "endpoint.*")).toBe(false);
    expect(receives("claim.paid.v2")).toBe(false);
  });

  it("sends webhook.test to the endpoint it names only, whatever the filters", () => {
    const named = test.data.endpointId;
    expect(endpointReceives({ id: named, eventTypes: ["claim.paid"] }, test)).toBe(true);
    expect(endpointReceives({ id: "ep_other", eventTypes: ["*"] }, test)).toBe(false);
  });

  it.each([
    "endpoint.disabled",
    "endpoint.recovered",
    "delivery.failing",
    "delivery.exhausted",
  ] as const)("never sends %s to the endpoint it is about", (type) => {
    const event = WEBHOOK_EVENT_EXAMPLES[type];
    const about = event.data.endpointId;
    const family = `${type.split(".")[0]}.*`;
    expect(endpointReceives({ id: about, eventTypes: ["*"] }, event)).toBe(false);
    expect(endpointReceives({ id: about, eventTypes: [type] }, event)).toBe(false);
    expect(endpointReceives({ id: "ep_other", eventTypes: [family] }, event)).toBe(true);
    expect(endpointReceives({ id: "ep_other", eventTypes: ["claim.*"] }, event)).toBe(false);
  });

  it("applies the payload filter after the event types, except to webhook.test", () => {
    const big = { "data.total.amount": { $gt: paid.data.total.amount } };
    expect(endpointReceives({ id: "ep_x", eventTypes: ["*"], payloadFilter: big }, paid)).toBe(
      false,
    );
    const paidOnly = { "data.status": "paid" };
    expect(
      endpointReceives({ id: "ep_x", eventTypes: ["claim.*"], payloadFilter: paidOnly }, paid),
    ).toBe(true);
    // The filter narrows the event types; it never adds a type the endpoint did not subscribe to.
    expect(
      endpointReceives(
        { id: "ep_x", eventTypes: ["claim.approved"], payloadFilter: paidOnly },
        paid,
      ),
    ).toBe(false);
    const named = test.data.endpointId;
    expect(endpointReceives({ id: named, eventTypes: ["*"], payloadFilter: big }, test)).toBe(true);
  });
});
