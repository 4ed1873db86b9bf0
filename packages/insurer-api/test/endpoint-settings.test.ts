import { recordAttempt } from "@claimwire/insurer-domain";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptReport, submitAndDispatch, succeed } from "../src/testing/delivery-fixtures.ts";
import {
  type Caller,
  checkOutboxAndStop,
  endpointConfigInKv,
  expectTrpcError,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;
let clinic: Caller;
let clinicId: string;
let other: Caller;

beforeAll(async () => {
  h = await startTestInsurer();
  ({ caller: clinic, clinicId } = await h.newClinic("Settings Clinic"));
  ({ caller: other } = await h.newClinic("Other Clinic"));
});
afterAll(() => checkOutboxAndStop(h));

async function rowOf(endpointId: string) {
  const { endpoints } = h.store.tables;
  const [row] = await h.store.db.select().from(endpoints).where(eq(endpoints.id, endpointId));
  return row;
}

describe("event type wildcards", () => {
  it("subscribes with claim.* and *, on create and update", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/wild",
      eventTypes: ["claim.*", "endpoint.disabled", "claim.*"],
    });
    expect(created.eventTypes).toEqual(["claim.*", "endpoint.disabled"]);
    const updated = await clinic.endpoints.update({ endpointId: created.id, eventTypes: ["*"] });
    expect(updated.eventTypes).toEqual(["*"]);
    expect((await clinic.endpoints.byId({ endpointId: created.id })).eventTypes).toEqual(["*"]);
  });

  it("refuses a filter that selects no event type, naming it, and changes nothing", async () => {
    const before = (await clinic.endpoints.list()).length;
    const unknown = await expectTrpcError(
      clinic.endpoints.create({
        url: "https://clinic.example/bad",
        eventTypes: ["claim.paid", "claim.exploded"],
      }),
      "BAD_REQUEST",
    );
    expect(unknown.message).toBe("eventTypes.1: 'claim.exploded' matches no event type");
    const prefix = await expectTrpcError(
      clinic.endpoints.create({ url: "https://clinic.example/bad", eventTypes: ["invoice.*"] }),
      "BAD_REQUEST",
    );
    expect(prefix.message).toBe("eventTypes.0: 'invoice.*' matches no event type");
    const shape = await expectTrpcError(
      clinic.endpoints.create({ url: "https://clinic.example/bad", eventTypes: ["claim*"] }),
      "BAD_REQUEST",
    );
    expect(shape.message).toBe(
      "eventTypes.0: must be an event type like 'claim.paid' or a wildcard like 'claim.*'",
    );
    expect(await clinic.endpoints.list()).toHaveLength(before);

    const kept = await clinic.endpoints.create({
      url: "https://clinic.example/kept",
      eventTypes: ["claim.paid"],
    });
    await expectTrpcError(
      clinic.endpoints.update({ endpointId: kept.id, eventTypes: ["claim.nope.*"] }),
      "BAD_REQUEST",
    );
    expect((await rowOf(kept.id))?.eventTypes).toEqual(["claim.paid"]);
  });
});

describe("custom headers and rate limit", () => {
  it("stores them on create, returns them, and publishes the headers to the workers", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/gateway",
      eventTypes: ["*"],
      headers: { "X-Clinic-Route": "north", Authorization: "Basic Y2xpbmljOnJvdXRl" },
      rateLimitPerSecond: 20,
    });
    expect(created).toMatchObject({
      headers: { "X-Clinic-Route": "north", Authorization: "Basic Y2xpbmljOnJvdXRl" },
      rateLimitPerSecond: 20,
    });
    // The workers send the headers; the rate limit is the dispatcher's, not theirs.
    const config = await endpointConfigInKv(h, created.id);
    expect(config).toMatchObject({
      headers: { "X-Clinic-Route": "north", Authorization: "Basic Y2xpbmljOnJvdXRl" },
    });
    expect((await h.queue.endpoints.get(created.id))?.json()).not.toHaveProperty(
      "rateLimitPerSecond",
    );
    const plain = await clinic.endpoints.create({
      url: "https://clinic.example/plain",
      eventTypes: ["*"],
    });
    expect(plain).toMatchObject({ headers: {}, rateLimitPerSecond: null });
  });

  it("replaces the headers and changes or removes the limit on update, and KV follows", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/changing",
      eventTypes: ["*"],
      headers: { "X-One": "1", "X-Two": "2" },
      rateLimitPerSecond: 5,
    });
    const updated = await clinic.endpoints.update({
      endpointId: created.id,
      headers: { "X-Three": "3" },
    });
    expect(updated).toMatchObject({ headers: { "X-Three": "3" }, rateLimitPerSecond: 5 });
    const unlimited = await clinic.endpoints.update({
      endpointId: created.id,
      rateLimitPerSecond: null,
      headers: {},
    });
    expect(unlimited).toMatchObject({ headers: {}, rateLimitPerSecond: null });
    expect((await endpointConfigInKv(h, created.id))?.headers).toEqual({});
  });

  it("refuses reserved, malformed and oversized headers and bad limits by name, changing nothing", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/strict",
      eventTypes: ["*"],
      headers: { "X-Route": "south" },
    });
    const cases: [Record<string, string>, string][] = [
      [
        { Host: "evil.example" },
        "headers.Host: 'Host' is set by the sender or the connection and cannot be overridden",
      ],
      [
        { "Webhook-Signature": "v1,x" },
        "headers.Webhook-Signature: 'Webhook-Signature' is set by the sender or the connection and cannot be overridden",
      ],
      [
        { "Transfer-Encoding": "chunked" },
        "headers.Transfer-Encoding: 'Transfer-Encoding' is set by the sender or the connection and cannot be overridden",
      ],
      [
        { "X Bad": "1" },
        "headers.X Bad: 'X Bad' is not a valid header name (token characters only)",
      ],
      [
        { "X-Injected": "a\r\nHost: evil" },
        "headers.X-Injected: must be visible ASCII (inner spaces allowed), without line breaks",
      ],
      [
        Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`X-H${i}`, "v"])),
        "headers: at most 10 headers",
      ],
    ];
    for (const [headers, message] of cases) {
      const err = await expectTrpcError(
        clinic.endpoints.update({ endpointId: created.id, headers }),
        "BAD_REQUEST",
      );
      expect(err.message).toBe(message);
      const created2 = expectTrpcError(
        clinic.endpoints.create({ url: "https://clinic.example/x", eventTypes: ["*"], headers }),
        "BAD_REQUEST",
      );
      expect((await created2).message).toBe(message);
    }
    const limit = await expectTrpcError(
      clinic.endpoints.update({ endpointId: created.id, rateLimitPerSecond: 0 }),
      "BAD_REQUEST",
    );
    expect(limit.message).toMatch(/^rateLimitPerSecond: /);
    expect(await rowOf(created.id)).toMatchObject({
      headers: { "X-Route": "south" },
      rateLimitPerSecond: null,
    });
    expect((await endpointConfigInKv(h, created.id))?.headers).toEqual({ "X-Route": "south" });
  });
});

describe("endpoints.byId", () => {
  it("returns the clinic's own endpoint, any endpoint to staff, and NOT_FOUND to another clinic", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/by-id",
      eventTypes: ["claim.paid"],
    });
    const { secret: _secret, ...endpoint } = created;
    expect(await clinic.endpoints.byId({ endpointId: created.id })).toEqual(endpoint);
    expect(await h.staff.endpoints.byId({ endpointId: created.id })).toEqual(endpoint);
    const err = await expectTrpcError(
      other.endpoints.byId({ endpointId: created.id }),
      "NOT_FOUND",
    );
    expect(err.message).toBe(`No endpoint with id '${created.id}'`);
  });
});

describe("endpoints.stats", () => {
  it("counts attempts, successes and failures, the last error, and deliveries by status", async () => {
    const { caller, clinicId: statsClinic } = await h.newClinic("Stats Clinic");
    const endpoint = await caller.endpoints.create({
      url: "https://clinic.example/stats",
      eventTypes: ["claim.submitted"],
    });
    expect(await caller.endpoints.stats({ endpointId: endpoint.id })).toEqual({
      endpointId: endpoint.id,
      attempts: 0,
      successes: 0,
      failures: 0,
      successRate: null,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastError: null,
      deliveries: { pending: 0, delivered: 0, failed: 0 },
    });

    // Delivery 1: a 503, then delivered. Delivery 2: a timeout, still retrying.
    // Delivery 3: sent, no report yet.
    const [first] = await submitAndDispatch(h, caller);
    const [second] = await submitAndDispatch(h, caller);
    await submitAndDispatch(h, caller);
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    const oneMinuteAgo = new Date(Date.now() - 60_000).toISOString();
    const config = h.insurer.services.delivery;
    await recordAttempt(h.store, attemptReport(first!, { startedAt: twoMinutesAgo }), config);
    await succeed(h, first!, 2);
    await recordAttempt(
      h.store,
      attemptReport(second!, {
        startedAt: oneMinuteAgo,
        statusCode: null,
        errorClass: "timeout",
        error: "No response within 15000 ms",
      }),
      config,
    );

    const stats = await caller.endpoints.stats({ endpointId: endpoint.id });
    expect(stats).toMatchObject({
      endpointId: endpoint.id,
      attempts: 3,
      successes: 1,
      failures: 2,
      lastError: {
        at: oneMinuteAgo,
        message: "No response within 15000 ms",
        statusCode: null,
      },
      deliveries: { pending: 2, delivered: 1, failed: 0 },
    });
    expect(stats.successRate).toBeCloseTo(1 / 3);
    expect(stats.lastSuccessAt).not.toBeNull();
    expect(stats.lastAttemptAt).toBe(stats.lastSuccessAt); // the success came last
    expect(await h.staff.endpoints.stats({ endpointId: endpoint.id })).toEqual(stats);
    await expectTrpcError(other.endpoints.stats({ endpointId: endpoint.id }), "NOT_FOUND");
    expect(statsClinic).not.toBe(clinicId);
  });
});

describe("clinics.list", () => {
  it("lists every clinic, oldest first, to staff only", async () => {
    const listed = await h.staff.clinics.list();
    expect(listed.map((c) => c.name)).toEqual(
      expect.arrayContaining(["Settings Clinic", "Other Clinic"]),
    );
    expect(listed[0]).toEqual({
      id: clinicId,
      name: "Settings Clinic",
      createdAt: expect.any(String),
    });
    const created = [...listed].map((c) => c.createdAt);
    expect(created).toEqual([...created].sort());
    await expectTrpcError(clinic.clinics.list(), "FORBIDDEN");
  });
});
