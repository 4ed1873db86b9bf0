import { describe, expect, it } from "vitest";
import { isKnownEventType, readWebhookEvent } from "./read-webhook-event.ts";
import { WEBHOOK_EVENT_EXAMPLES } from "./webhook-event-examples.ts";
import { WEBHOOK_EVENT_TYPES } from "./webhook-events.ts";

const approved = WEBHOOK_EVENT_EXAMPLES["claim.approved"];

describe("readWebhookEvent", () => {
  it.each(WEBHOOK_EVENT_TYPES)("reads the %s example as a known event", (type) => {
    expect(readWebhookEvent(WEBHOOK_EVENT_EXAMPLES[type])).toEqual({
      kind: "known",
      event: WEBHOOK_EVENT_EXAMPLES[type],
    });
  });

  it("drops fields a known event does not declare (added by a newer insurer)", () => {
    const newer = {
      ...approved,
      deliveredVia: "eu-west",
      data: { ...approved.data, adjudicatorNote: { text: "ok" } },
    };
    expect(readWebhookEvent(newer)).toEqual({ kind: "known", event: approved });
  });

  it("returns an event type it does not know as unknown, with the payload as received", () => {
    const reopened = { type: "claim.reopened", timestamp: approved.timestamp, data: { x: 1 } };
    expect(readWebhookEvent(reopened)).toEqual({
      kind: "unknown",
      type: "claim.reopened",
      payload: reopened,
    });
    // Nothing but a string type is required of an event it does not know.
    expect(readWebhookEvent({ type: "invoice.paid" })).toMatchObject({ kind: "unknown" });
  });

  it("treats prototype names as unknown types, not as lookups on Object.prototype", () => {
    for (const type of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(isKnownEventType(type)).toBe(false);
      const body = JSON.parse(`{"type":${JSON.stringify(type)},"data":{}}`);
      expect(readWebhookEvent(body)).toMatchObject({ kind: "unknown", type });
    }
  });

  it("refuses a known event type that breaks its schema, naming the field", () => {
    const { approvedAmount: _dropped, ...data } = approved.data;
    const read = readWebhookEvent({ ...approved, data });
    expect(read.kind).toBe("invalid");
    expect(read.kind === "invalid" && read.problem).toContain("data.approvedAmount");
  });

  it.each([
    ["null", null, "expected an object, received null"],
    ["an array", [approved], "expected an object, received an array"],
    ["a string", "claim.approved", "expected an object, received string"],
    ["an object without type", { data: {} }, "received undefined"],
    ["a numeric type", { type: 7 }, "received number"],
    ["an empty type", { type: "" }, "received an empty string"],
    ["a type only on the prototype", JSON.parse('{"__proto__":{"type":"claim.paid"}}'), "type"],
  ])("refuses %s as not an event", (_name, body, phrase) => {
    const read = readWebhookEvent(body);
    expect(read.kind).toBe("invalid");
    expect(read.kind === "invalid" && read.problem).toContain(phrase);
  });
});
