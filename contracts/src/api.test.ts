import { describe, expect, it } from "vitest";
import {
  CreateEndpointInputSchema,
  CreateEndpointOutputSchema,
  EventPageSchema,
  ListDeliveriesInputSchema,
  ListEventsInputSchema,
  matchesEventTypeFilter,
  RecoverEndpointInputSchema,
  UpdateEndpointInputSchema,
  WaitEventsInputSchema,
} from "./api.ts";
import { WEBHOOK_EVENT_EXAMPLES } from "./webhook-event-examples.ts";

const endpointId = WEBHOOK_EVENT_EXAMPLES["endpoint.disabled"].data.endpointId;
const endpoint = {
  id: endpointId,
  clinicId: WEBHOOK_EVENT_EXAMPLES["endpoint.disabled"].data.clinicId,
  url: "https://mis.clinic.example/hooks",
  eventTypes: ["claim.paid", "endpoint.disabled"],
  description: "",
  signatureScheme: "hmac-sha256",
  headers: {},
  rateLimitPerSecond: null,
  payloadFilter: null,
  enabled: true,
  disabledReason: null,
  disabledAt: null,
  failingSince: null,
  createdAt: "2026-11-27T09:30:00.000Z",
};

describe("endpoint API schemas", () => {
  it("signs with HMAC unless ed25519 is asked for", () => {
    const input = { url: endpoint.url, eventTypes: ["claim.paid"] };
    expect(CreateEndpointInputSchema.parse(input).signatureScheme).toBe("hmac-sha256");
    expect(
      CreateEndpointInputSchema.parse({ ...input, signatureScheme: "ed25519" }).signatureScheme,
    ).toBe("ed25519");
    expect(CreateEndpointInputSchema.safeParse({ ...input, signatureScheme: "rsa" }).success).toBe(
      false,
    );
  });

  it("returns a whsec_ secret or a whpk_ public key, nothing else", () => {
    expect(CreateEndpointOutputSchema.safeParse({ ...endpoint, secret: "whsec_abc" }).success).toBe(
      true,
    );
    expect(
      CreateEndpointOutputSchema.safeParse({
        ...endpoint,
        signatureScheme: "ed25519",
        secret: "whpk_abc",
      }).success,
    ).toBe(true);
    // The signing key must never be returned.
    expect(CreateEndpointOutputSchema.safeParse({ ...endpoint, secret: "whsk_abc" }).success).toBe(
      false,
    );
  });

  it("needs something to change in an update, and a range that runs forwards to recover", () => {
    expect(UpdateEndpointInputSchema.safeParse({ endpointId }).success).toBe(false);
    expect(UpdateEndpointInputSchema.safeParse({ endpointId, description: "" }).success).toBe(true);
    const since = "2026-12-01T00:00:00.000Z";
    expect(RecoverEndpointInputSchema.safeParse({ endpointId, since }).success).toBe(true);
    expect(
      RecoverEndpointInputSchema.safeParse({ endpointId, since, until: "2026-11-30T00:00:00.000Z" })
        .success,
    ).toBe(false);
  });

  it("subscribes to event types and wildcards, naming a filter that selects nothing", () => {
    const input = { url: endpoint.url, eventTypes: ["claim.*", "*", "endpoint.disabled"] };
    expect(CreateEndpointInputSchema.parse(input).eventTypes).toEqual(input.eventTypes);
    const issues = (eventTypes: string[]) =>
      CreateEndpointInputSchema.safeParse({ url: endpoint.url, eventTypes }).error?.issues.map(
        (issue) => `${issue.path.join(".")}: ${issue.message}`,
      );
    expect(issues(["claim.paid", "claim.exploded"])).toEqual([
      "eventTypes.1: 'claim.exploded' matches no event type",
    ]);
    expect(issues(["invoice.*"])).toEqual(["eventTypes.0: 'invoice.*' matches no event type"]);
    expect(issues(["claim*"])).toEqual([
      "eventTypes.0: must be an event type like 'claim.paid' or a wildcard like 'claim.*'",
    ]);
    expect(issues([])).toHaveLength(1);
  });

  it("accepts custom headers, refusing reserved, malformed, duplicate and oversized ones by name", () => {
    const parse = (headers: Record<string, string>) =>
      CreateEndpointInputSchema.safeParse({ url: endpoint.url, eventTypes: ["*"], headers });
    const issues = (headers: Record<string, string>) =>
      parse(headers).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(parse({ "X-Clinic-Route": "north", Authorization: "Basic abc" }).success).toBe(true);
    expect(CreateEndpointInputSchema.parse({ url: endpoint.url, eventTypes: ["*"] })).toMatchObject(
      { headers: {}, rateLimitPerSecond: null },
    );
    for (const reserved of ["Host", "content-type", "Content-Length", "Connection", "webhook-id"]) {
      expect(issues({ [reserved]: "x" })).toEqual([
        `headers.${reserved}: '${reserved}' is set by the sender or the connection and cannot be overridden`,
      ]);
    }
    expect(issues({ "Bad Name": "x" })).toEqual([
      "headers.Bad Name: 'Bad Name' is not a valid header name (token characters only)",
    ]);
    expect(issues({ "X-A": "line\r\nInjected: yes" })).toEqual([
      "headers.X-A: must be visible ASCII (inner spaces allowed), without line breaks",
    ]);
    expect(issues({ "X-A": "1", "x-a": "2" })).toEqual([
      "headers: header names must differ in more than letter case",
    ]);
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`X-H${i}`, "v"]));
    expect(issues(many)).toEqual(["headers: at most 10 headers"]);
    const big = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`X-H${i}`, "v".repeat(1000)]),
    );
    expect(issues(big)).toEqual([
      "headers: names and values together must be at most 4096 characters",
    ]);
  });

  it("takes an optional whole-number rate limit, and null to remove it on update", () => {
    const input = { url: endpoint.url, eventTypes: ["*"] };
    expect(
      CreateEndpointInputSchema.parse({ ...input, rateLimitPerSecond: 5 }).rateLimitPerSecond,
    ).toBe(5);
    expect(CreateEndpointInputSchema.safeParse({ ...input, rateLimitPerSecond: 0 }).success).toBe(
      false,
    );
    expect(CreateEndpointInputSchema.safeParse({ ...input, rateLimitPerSecond: 1.5 }).success).toBe(
      false,
    );
    expect(UpdateEndpointInputSchema.parse({ endpointId, rateLimitPerSecond: null })).toEqual({
      endpointId,
      rateLimitPerSecond: null,
    });
    expect(UpdateEndpointInputSchema.safeParse({ endpointId, headers: {} }).success).toBe(true);
  });

  it("pages deliveries 20 at a time by default, at most 100", () => {
    expect(ListDeliveriesInputSchema.parse({ endpointId }).limit).toBe(20);
    expect(ListDeliveriesInputSchema.safeParse({ endpointId, limit: 101 }).success).toBe(false);
    expect(ListDeliveriesInputSchema.safeParse({ endpointId, status: "lost" }).success).toBe(false);
  });
});

describe("event feed API schemas", () => {
  const messages = (result: {
    success: boolean;
    error?: { issues: { path: unknown[]; message: string }[] };
  }) => result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

  it("selects types exactly or by a wildcard over a dotted prefix", () => {
    expect(matchesEventTypeFilter("claim.*", "claim.paid")).toBe(true);
    expect(matchesEventTypeFilter("claim.*", "claim.approved.v2")).toBe(true);
    expect(matchesEventTypeFilter("claim.*", "endpoint.disabled")).toBe(false);
    expect(matchesEventTypeFilter("*", "endpoint.disabled")).toBe(true);
    expect(matchesEventTypeFilter("claim.paid", "claim.paid")).toBe(true);
    expect(matchesEventTypeFilter("claim.paid", "claim.paid.v2")).toBe(false);
    // "claim*" is no wildcard: only a whole dotted segment may be left open.
    expect(matchesEventTypeFilter("claim*", "claim.paid")).toBe(false);
  });

  it("pages 100 events by default, 1 to 500, and refuses filters that select nothing", () => {
    expect(ListEventsInputSchema.parse({})).toEqual({ limit: 100 });
    expect(ListEventsInputSchema.safeParse({ limit: 0 }).success).toBe(false);
    expect(ListEventsInputSchema.safeParse({ limit: 501 }).success).toBe(false);
    expect(ListEventsInputSchema.parse({ types: ["claim.*", "endpoint.disabled"] }).types).toEqual([
      "claim.*",
      "endpoint.disabled",
    ]);
    expect(messages(ListEventsInputSchema.safeParse({ types: ["claim.aproved"] }))).toEqual([
      "types.0: 'claim.aproved' matches no event type",
    ]);
    expect(messages(ListEventsInputSchema.safeParse({ types: ["claim.paid", "Claim.*"] }))).toEqual(
      ["types.1: must be an event type like 'claim.paid' or a wildcard like 'claim.*'"],
    );
    expect(ListEventsInputSchema.safeParse({ types: [] }).success).toBe(false);
  });

  it("holds a long poll 25 s by default and never longer than 30 s", () => {
    expect(WaitEventsInputSchema.parse({}).timeoutMs).toBe(25_000);
    expect(WaitEventsInputSchema.parse({ timeoutMs: 30_000 }).timeoutMs).toBe(30_000);
    expect(messages(WaitEventsInputSchema.safeParse({ timeoutMs: 30_001 }))).toEqual([
      "timeoutMs: Too big: expected number to be <=30000",
    ]);
  });

  it("carries each event's webhook body, which must be a valid webhook event", () => {
    const body = WEBHOOK_EVENT_EXAMPLES["claim.paid"];
    const item = {
      id: "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
      type: body.type,
      occurredAt: body.timestamp,
      data: body,
    };
    expect(EventPageSchema.parse({ items: [item], nextCursor: "abc", hasMore: false })).toEqual({
      items: [item],
      nextCursor: "abc",
      hasMore: false,
    });
    const broken = { ...item, data: { ...body, data: { ...body.data, version: 0 } } };
    expect(
      EventPageSchema.safeParse({ items: [broken], nextCursor: null, hasMore: false }).success,
    ).toBe(false);
  });
});
