import { readFileSync } from "node:fs";
import {
  ClaimPageSchema,
  ClaimSchema,
  CreateClinicOutputSchema,
  CreateEndpointOutputSchema,
  EndpointSchema,
  EventPageSchema,
  RotateSecretOutputSchema,
  WEBHOOK_EVENT_TYPES,
} from "@claimwire/contracts";
import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPENAPI_JSON_PATH } from "../src/openapi/openapi-files.ts";
import { RestErrorSchema } from "../src/rest/rest-error.ts";
import {
  checkOutboxAndStop,
  claimInput,
  expectTrpcError,
  STAFF_KEY,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

// The REST routes (/api/v1, trpc-to-openapi) over real HTTP against a running insurer.

let h: TestInsurer;
let clinicA: { clinicId: string; apiKey: string };
let clinicB: { clinicId: string; apiKey: string };

type Call = {
  key?: string | undefined;
  body?: unknown;
  /** Sent as is (`body` is JSON-encoded with `content-type: application/json`). */
  rawBody?: string;
  headers?: Record<string, string>;
};

async function call(
  method: string,
  path: string,
  { key, body, rawBody, headers, signal }: Call & { signal?: AbortSignal } = {},
) {
  const res = await fetch(`${h.baseUrl}/api/v1${path}`, {
    ...(signal ? { signal } : {}),
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(rawBody !== undefined ? { body: rawBody } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    json: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

/** A call that must fail with `status`; returns the error body (checked against its schema). */
async function callError(status: number, method: string, path: string, opts: Call = {}) {
  const res = await call(method, path, opts);
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  return RestErrorSchema.parse(res.json);
}

beforeAll(async () => {
  // One long poll per clinic at a time, so the test can see when one ends.
  h = await startTestInsurer({ start: true, env: { EVENT_FEED_MAX_WAITERS_PER_CLINIC: "1" } });
  const a = await call("POST", "/clinics", { key: STAFF_KEY, body: { name: "REST Clinic A" } });
  expect(a.status).toBe(200);
  const created = CreateClinicOutputSchema.parse(a.json);
  clinicA = { clinicId: created.clinic.id, apiKey: created.apiKey };
  const b = CreateClinicOutputSchema.parse(
    (await call("POST", "/clinics", { key: STAFF_KEY, body: { name: "REST Clinic B" } })).json,
  );
  clinicB = { clinicId: b.clinic.id, apiKey: b.apiKey };
});
afterAll(() => checkOutboxAndStop(h));

describe("REST claims", () => {
  it("submits a claim with POST and reads it back with GET", async () => {
    const input = claimInput();
    const submitted = await call("POST", "/claims", { key: clinicA.apiKey, body: input });
    expect(submitted.status).toBe(200);
    expect(submitted.contentType).toMatch(/^application\/json/);
    const claim = ClaimSchema.parse(submitted.json);
    expect(claim).toMatchObject({
      clinicId: clinicA.clinicId,
      clinicReference: input.clinicReference,
      status: "submitted",
      total: { amount: 18_500, currency: "EUR" },
    });

    const read = await call("GET", `/claims/${claim.id}`, { key: clinicA.apiKey });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(claim);
    // Staff read any clinic's claim; the same route.
    expect((await call("GET", `/claims/${claim.id}`, { key: STAFF_KEY })).json).toEqual(claim);
    // Resubmitting is idempotent, as over tRPC.
    expect((await call("POST", "/claims", { key: clinicA.apiKey, body: input })).json).toEqual(
      claim,
    );
  });

  it("pages the clinic's claims with limit and cursor from the query string", async () => {
    const { apiKey } = await h.newClinic("REST Pager");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call("POST", "/claims", { key: apiKey, body: claimInput() });
      ids.push(ClaimSchema.parse(res.json).id);
    }
    const first = ClaimPageSchema.parse(
      (await call("GET", "/claims?limit=2", { key: apiKey })).json,
    );
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = ClaimPageSchema.parse(
      (
        await call("GET", `/claims?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`, {
          key: apiKey,
        })
      ).json,
    );
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((c) => c.id).sort()).toEqual(ids.sort());
  });

  it("answers 404 with a message naming the claim when a clinic reads another clinic's claim", async () => {
    const claim = ClaimSchema.parse(
      (await call("POST", "/claims", { key: clinicA.apiKey, body: claimInput() })).json,
    );
    const error = await callError(404, "GET", `/claims/${claim.id}`, { key: clinicB.apiKey });
    expect(error).toMatchObject({ code: "NOT_FOUND", message: `No claim with id '${claim.id}'` });
  });

  it("answers 401 without a key or with an unknown one, before looking at the input", async () => {
    const missing = await callError(401, "POST", "/claims", { body: { nonsense: true } });
    expect(missing).toMatchObject({ code: "UNAUTHORIZED", message: "Missing or unknown API key" });
    const unknown = await callError(401, "GET", "/me", { key: "cw_not_a_key_at_all" });
    expect(unknown.code).toBe("UNAUTHORIZED");
  });

  it("answers 400 naming each bad field, in the body and in the query string", async () => {
    const body = await callError(400, "POST", "/claims", {
      key: clinicA.apiKey,
      body: claimInput({ patientRef: "Jane Doe" }),
    });
    expect(body.code).toBe("BAD_REQUEST");
    expect(body.message).toMatch(/^patientRef: /);

    const line = await callError(400, "POST", "/claims", {
      key: clinicA.apiKey,
      body: {
        ...claimInput(),
        serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: 0, unitAmount: 1 }],
      },
    });
    expect(line.message).toMatch(/^serviceLines\.0\.quantity: /);

    const query = await callError(400, "GET", "/claims?limit=many", { key: clinicA.apiKey });
    expect(query.message).toMatch(/^limit: /);
    const tooMany = await callError(400, "GET", "/claims?limit=1000", { key: clinicA.apiKey });
    expect(tooMany.message).toMatch(/^limit: /);
    const id = await callError(400, "GET", "/claims/not-a-claim-id", { key: clinicA.apiKey });
    expect(id.message).toMatch(/^claimId: /);
  });

  it("keeps validation strict: numbers are never coerced from strings, over REST or tRPC", async () => {
    // trpc-to-openapi would switch on zod coercion of the shared contract schemas.
    const body = await callError(400, "POST", "/claims", {
      key: clinicA.apiKey,
      body: {
        ...claimInput(),
        serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: "2", unitAmount: 7 }],
      },
    });
    expect(body.message).toMatch(/^serviceLines\.0\.quantity: /);
    await callError(400, "POST", "/claims", {
      key: clinicA.apiKey,
      body: {
        ...claimInput(),
        serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: null }],
      },
    });
    const trpc = h.caller({ role: "clinic", clinicId: clinicA.clinicId });
    await expectTrpcError(trpc.claims.list({ limit: "5" as unknown as number }), "BAD_REQUEST");
  });

  it("lets staff decide over REST (the body is the decision) and refuses illegal moves with 409", async () => {
    const claim = ClaimSchema.parse(
      (await call("POST", "/claims", { key: clinicA.apiKey, body: claimInput() })).json,
    );
    const path = `/claims/${claim.id}/decision`;
    const forbidden = await callError(403, "POST", path, {
      key: clinicA.apiKey,
      body: { to: "in_review" },
    });
    expect(forbidden.code).toBe("FORBIDDEN");

    const inReview = await call("POST", path, { key: STAFF_KEY, body: { to: "in_review" } });
    expect(inReview.status).toBe(200);
    expect(ClaimSchema.parse(inReview.json).status).toBe("in_review");

    const missing = await callError(400, "POST", path, {
      key: STAFF_KEY,
      body: { to: "rejected" },
    });
    expect(missing.message).toMatch(/reasonCodes/);
    const unknown = await callError(400, "POST", path, { key: STAFF_KEY, body: { to: "maybe" } });
    expect(unknown.message).toMatch(/to/);

    const illegal = await callError(409, "POST", path, {
      key: STAFF_KEY,
      body: { to: "paid", paymentReference: "PAY-1" },
    });
    expect(illegal).toMatchObject({
      code: "CONFLICT",
      message: `Claim '${claim.id}' cannot go from 'in_review' to 'paid'`,
    });
    // The path names the claim: a claimId in the body does not redirect the decision.
    const other = ClaimSchema.parse(
      (await call("POST", "/claims", { key: clinicA.apiKey, body: claimInput() })).json,
    );
    const approved = await call("POST", path, {
      key: STAFF_KEY,
      body: { to: "approved", claimId: other.id },
    });
    expect(ClaimSchema.parse(approved.json)).toMatchObject({ id: claim.id, status: "approved" });
  });

  it("withdraws with a bodiless POST (no content type needed)", async () => {
    const claim = ClaimSchema.parse(
      (await call("POST", "/claims", { key: clinicA.apiKey, body: claimInput() })).json,
    );
    const res = await call("POST", `/claims/${claim.id}/withdraw`, { key: clinicA.apiKey });
    expect(res.status).toBe(200);
    expect(ClaimSchema.parse(res.json).status).toBe("withdrawn");
    const again = await callError(409, "POST", `/claims/${claim.id}/withdraw`, {
      key: clinicA.apiKey,
    });
    expect(again.message).toBe(`Claim '${claim.id}' cannot go from 'withdrawn' to 'withdrawn'`);
  });

  it("reads JSON sent with a charset, and refuses other media types with 415", async () => {
    const res = await call("POST", "/claims", {
      key: clinicA.apiKey,
      rawBody: JSON.stringify(claimInput()),
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(res.status).toBe(200);
    const error = await callError(415, "POST", "/claims", {
      key: clinicA.apiKey,
      rawBody: "clinicReference=x",
      headers: { "content-type": "text/plain" },
    });
    expect(error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const broken = await callError(400, "POST", "/claims", {
      key: clinicA.apiKey,
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(broken.code).toBe("PARSE_ERROR");
    const huge = await callError(413, "POST", "/claims", {
      key: clinicA.apiKey,
      body: { ...claimInput(), padding: "x".repeat(1_100_000) },
    });
    expect(huge.code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("REST endpoints, deliveries and me", () => {
  it("manages an endpoint: create, list, rotate the secret, delete; another clinic's is 404", async () => {
    const created = await call("POST", "/endpoints", {
      key: clinicA.apiKey,
      body: { url: "https://clinic.example/hooks", eventTypes: ["claim.approved"] },
    });
    expect(created.status).toBe(200);
    const endpoint = CreateEndpointOutputSchema.parse(created.json);
    expect(endpoint.secret).toMatch(/^whsec_/);

    const list = await call("GET", "/endpoints", { key: clinicA.apiKey });
    expect(
      EndpointSchema.array()
        .parse(list.json)
        .map((e) => e.id),
    ).toContain(endpoint.id);

    const rotated = RotateSecretOutputSchema.parse(
      (await call("POST", `/endpoints/${endpoint.id}/rotate-secret`, { key: clinicA.apiKey })).json,
    );
    expect(rotated).toMatchObject({ endpointId: endpoint.id });
    expect(rotated.secret).not.toBe(endpoint.secret);

    const updated = await call("PATCH", `/endpoints/${endpoint.id}`, {
      key: clinicA.apiKey,
      body: { description: "front desk" },
    });
    expect(EndpointSchema.parse(updated.json).description).toBe("front desk");

    const foreign = await callError(404, "DELETE", `/endpoints/${endpoint.id}`, {
      key: clinicB.apiKey,
    });
    expect(foreign.message).toBe(`No endpoint with id '${endpoint.id}'`);
    const deliveries = await call("GET", `/endpoints/${endpoint.id}/deliveries?status=failed`, {
      key: clinicA.apiKey,
    });
    expect(deliveries).toMatchObject({ status: 200, json: { items: [], nextCursor: null } });

    const deleted = await call("DELETE", `/endpoints/${endpoint.id}`, { key: clinicA.apiKey });
    expect(deleted).toMatchObject({ status: 200, json: { id: endpoint.id } });
  });

  it("tells the key's owner with GET /me", async () => {
    expect((await call("GET", "/me", { key: clinicA.apiKey })).json).toEqual({
      role: "clinic",
      clinicId: clinicA.clinicId,
    });
    expect((await call("GET", "/me", { key: STAFF_KEY })).json).toEqual({ role: "insurer" });
  });

  it("answers 404 in the same error shape for a route that does not exist", async () => {
    const error = await callError(404, "GET", "/nothing-here", { key: clinicA.apiKey });
    expect(error.code).toBe("NOT_FOUND");
  });
});

describe("REST event feed", () => {
  it("filters by repeated `types` and long-polls until the next event", async () => {
    const { apiKey } = await h.newClinic("REST Feed");
    await call("POST", "/claims", { key: apiKey, body: claimInput() });
    const page = EventPageSchema.parse(
      (
        await call("GET", "/events?types=claim.submitted&types=claim.paid&limit=10", {
          key: apiKey,
        })
      ).json,
    );
    expect(page.items.map((e) => e.type)).toEqual(["claim.submitted"]);

    const waiting = call("GET", `/events/wait?after=${page.nextCursor}&timeoutMs=20000`, {
      key: apiKey,
    });
    const claim = ClaimSchema.parse(
      (await call("POST", "/claims", { key: apiKey, body: claimInput() })).json,
    );
    const next = EventPageSchema.parse((await waiting).json);
    expect(next.items.map((e) => [e.type, e.data.data.clinicId])).toEqual([
      ["claim.submitted", claim.clinicId],
    ]);
  });

  it("answers one event by its id at /events/{eventId}, and 404 for another clinic's", async () => {
    const { apiKey } = await h.newClinic("REST By Id");
    await call("POST", "/claims", { key: apiKey, body: claimInput() });
    const [item] = EventPageSchema.parse(
      (await call("GET", "/events", { key: apiKey })).json,
    ).items;
    const found = await call("GET", `/events/${item!.id}`, { key: apiKey });
    expect(found.status).toBe(200);
    expect(found.json).toEqual(item);
    const error = await callError(404, "GET", `/events/${item!.id}`, { key: clinicA.apiKey });
    expect(error.code).toBe("NOT_FOUND");
  });

  it("ends a long poll when the client goes away", async () => {
    const { apiKey, clinicId } = await h.newClinic("REST Leaver");
    const first = EventPageSchema.parse((await call("GET", "/events", { key: apiKey })).json);
    const after = first.nextCursor ? `after=${first.nextCursor}&` : "";
    const leaving = new AbortController();
    const abandoned = call("GET", `/events/wait?${after}timeoutMs=30000`, {
      key: apiKey,
      signal: leaving.signal,
    }).catch(() => "aborted");
    // The clinic may hold one long poll: once the first waits, a second is refused. (Probing
    // before that could take the one place from the first, which would then be the refused one.)
    await waitFor(
      "the first poll to wait",
      () => h.insurer.services.feed.waiters.count(clinicId) === 1,
    );
    expect((await call("GET", `/events/wait?${after}timeoutMs=1`, { key: apiKey })).status).toBe(
      429,
    );
    leaving.abort();
    expect(await abandoned).toBe("aborted");
    // Without the request's signal the first would hold its place for 30 s.
    await waitFor(
      "a poll to be accepted again once one left",
      async () =>
        (await call("GET", `/events/wait?${after}timeoutMs=1`, { key: apiKey })).status === 200,
    );
  });
});

describe("documentation over HTTP", () => {
  it("serves the OpenAPI document at /openapi.json, the same as the committed one", async () => {
    const res = await fetch(`${h.baseUrl}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const text = await res.text();
    expect(text).toBe(readFileSync(OPENAPI_JSON_PATH, "utf8"));
    const doc = JSON.parse(text) as {
      openapi: string;
      paths: Record<string, Record<string, { "x-trpc-procedure": string }>>;
      webhooks: Record<string, unknown>;
    };
    expect(doc.openapi).toBe("3.1.0");
    const procedures = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => op["x-trpc-procedure"]),
    );
    expect(procedures).toEqual(
      expect.arrayContaining(["claims.submit", "claims.byId", "claims.decide", "me"]),
    );
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it("serves the API reference page at /docs", async () => {
    const res = await fetch(`${h.baseUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain("claimwire insurer API");
  });
});
