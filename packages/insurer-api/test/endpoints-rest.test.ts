// The routes of endpoints in full over real HTTP: byId, stats, sendTest,
// custom headers and rate limit on PATCH, clinics.list for staff.
import {
  ClinicListSchema,
  CreateClinicOutputSchema,
  CreateEndpointOutputSchema,
  EndpointSchema,
  EndpointStatsSchema,
  SendTestOutputSchema,
} from "@claimwire/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestErrorSchema } from "../src/rest/rest-error.ts";
import {
  checkOutboxAndStop,
  STAFF_KEY,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;
let clinicKey: string;
let otherKey: string;

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${h.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

beforeAll(async () => {
  h = await startTestInsurer({ start: true });
  const created = async (name: string) =>
    CreateClinicOutputSchema.parse((await call("POST", "/clinics", STAFF_KEY, { name })).json);
  clinicKey = (await created("REST Endpoints Clinic")).apiKey;
  otherKey = (await created("REST Other Clinic")).apiKey;
});
afterAll(() => checkOutboxAndStop(h));

describe("endpoint routes", () => {
  it("creates with wildcards, headers and a limit; reads, changes, tests and counts it", async () => {
    const created = await call("POST", "/endpoints", clinicKey, {
      url: "https://clinic.example/rest",
      eventTypes: ["claim.*"],
      headers: { "X-Route": "rest" },
      rateLimitPerSecond: 10,
    });
    expect(created.status).toBe(200);
    const endpoint = CreateEndpointOutputSchema.parse(created.json);

    const byId = await call("GET", `/endpoints/${endpoint.id}`, clinicKey);
    expect(byId.status).toBe(200);
    expect(EndpointSchema.parse(byId.json)).toMatchObject({
      eventTypes: ["claim.*"],
      headers: { "X-Route": "rest" },
      rateLimitPerSecond: 10,
    });

    const patched = await call("PATCH", `/endpoints/${endpoint.id}`, clinicKey, {
      headers: {},
      rateLimitPerSecond: null,
    });
    expect(EndpointSchema.parse(patched.json)).toMatchObject({
      headers: {},
      rateLimitPerSecond: null,
    });

    const refused = await call("PATCH", `/endpoints/${endpoint.id}`, clinicKey, {
      headers: { "Content-Length": "0" },
    });
    expect(refused.status).toBe(400);
    expect(RestErrorSchema.parse(refused.json).message).toBe(
      "headers.Content-Length: 'Content-Length' is set by the sender or the connection and cannot be overridden",
    );

    const test = await call("POST", `/endpoints/${endpoint.id}/test`, clinicKey);
    expect(test.status).toBe(200);
    const sent = SendTestOutputSchema.parse(test.json);

    const stats = await call("GET", `/endpoints/${endpoint.id}/stats`, clinicKey);
    expect(stats.status).toBe(200);
    expect(EndpointStatsSchema.parse(stats.json)).toMatchObject({
      endpointId: endpoint.id,
      attempts: 0,
      deliveries: { pending: 1, delivered: 0, failed: 0 },
    });
    expect(sent.deliveryId).toMatch(/^dlv_/);

    for (const [method, path] of [
      ["GET", `/endpoints/${endpoint.id}`],
      ["GET", `/endpoints/${endpoint.id}/stats`],
      ["POST", `/endpoints/${endpoint.id}/test`],
    ] as const) {
      const res = await call(method, path, otherKey);
      expect(res.status).toBe(404);
      expect(RestErrorSchema.parse(res.json).message).toBe(`No endpoint with id '${endpoint.id}'`);
    }
  });

  it("lists clinics to staff (GET /clinics), 403 to a clinic", async () => {
    const listed = await call("GET", "/clinics", STAFF_KEY);
    expect(listed.status).toBe(200);
    expect(ClinicListSchema.parse(listed.json).map((c) => c.name)).toEqual(
      expect.arrayContaining(["REST Endpoints Clinic", "REST Other Clinic"]),
    );
    expect((await call("GET", "/clinics", clinicKey)).status).toBe(403);
  });
});
