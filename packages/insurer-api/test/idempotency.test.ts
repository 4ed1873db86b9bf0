import { ClaimSchema, CreateEndpointOutputSchema } from "@claimwire/contracts";
import {
  beginIdempotentCall,
  generateApiKey,
  type Principal,
  principalScope,
  resolvePrincipal,
  storeApiKey,
} from "@claimwire/insurer-domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../src/routers/root.ts";
import { createContextInner } from "../src/routers/trpc.ts";
import {
  claimInput,
  expectTrpcError,
  STAFF_KEY,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

// `Idempotency-Key` on creating calls: in-process (createCaller with headers) and over
// HTTP (tRPC and REST), with a fake clock for the 24 h expiry.

const DAY = 24 * 60 * 60 * 1000;
let clock = Date.parse("2026-11-27T09:00:00Z");
let h: TestInsurer;
let clinicA: { clinicId: string; apiKey: string; principal: Principal };
let clinicB: { clinicId: string; apiKey: string; principal: Principal };

beforeAll(async () => {
  h = await startTestInsurer({ start: true, now: () => clock });
  for (const name of ["A", "B"]) {
    const { clinicId, apiKey } = await h.newClinic(`Clinic ${name}`);
    const principal = (await resolvePrincipal(h.insurer.services, apiKey))!;
    if (name === "A") clinicA = { clinicId, apiKey, principal };
    else clinicB = { clinicId, apiKey, principal };
  }
});
afterAll(async () => {
  await h?.stop();
});

/** A caller whose requests carry `Idempotency-Key: key`. */
function withKey(principal: Principal, key: string) {
  return createCaller(
    createContextInner({
      principal,
      services: h.insurer.services,
      headers: { "idempotency-key": key },
    }),
  );
}

const endpointInput = (path: string) => ({
  url: `https://clinic.example/${path}`,
  eventTypes: ["claim.approved" as const],
});

async function endpointCount(clinicId: string): Promise<number> {
  const { endpoints } = h.store.tables;
  return (await h.store.db.select().from(endpoints)).filter((e) => e.clinicId === clinicId).length;
}

describe("Idempotency-Key through createCaller", () => {
  it("creates once and returns the identical first result to a repeat", async () => {
    const before = await endpointCount(clinicA.clinicId);
    const first = await withKey(clinicA.principal, "create-ep-1").endpoints.create(
      endpointInput("one"),
    );
    const again = await withKey(clinicA.principal, "create-ep-1").endpoints.create(
      endpointInput("one"),
    );
    expect(again).toEqual(first);
    expect(await endpointCount(clinicA.clinicId)).toBe(before + 1);
  });

  it("hashes the input canonically: the same fields in another order are the same request", async () => {
    const first = await withKey(clinicA.principal, "order").endpoints.create({
      url: "https://clinic.example/order",
      eventTypes: ["claim.paid"],
    });
    const again = await withKey(clinicA.principal, "order").endpoints.create({
      eventTypes: ["claim.paid"],
      url: "https://clinic.example/order",
    });
    expect(again.id).toBe(first.id);
  });

  it("refuses the key with a different body as CONFLICT and writes nothing", async () => {
    await withKey(clinicA.principal, "create-ep-2").endpoints.create(endpointInput("two"));
    const before = await endpointCount(clinicA.clinicId);
    const err = await expectTrpcError(
      withKey(clinicA.principal, "create-ep-2").endpoints.create(endpointInput("other")),
      "CONFLICT",
    );
    expect(err.message).toBe("Idempotency-Key 'create-ep-2' was used with a different request");
    expect(await endpointCount(clinicA.clinicId)).toBe(before);
  });

  it("keeps each clinic's keys apart", async () => {
    const a = await withKey(clinicA.principal, "shared-key").claims.submit(
      claimInput({ clinicReference: "IDEM-A" }),
    );
    const b = await withKey(clinicB.principal, "shared-key").claims.submit(
      claimInput({ clinicReference: "IDEM-B", policyNumber: "POL-999999" }),
    );
    expect(a.clinicId).toBe(clinicA.clinicId);
    expect(b.clinicId).toBe(clinicB.clinicId);
    expect(b.id).not.toBe(a.id);
  });

  it("keeps procedures apart: the same key on another procedure runs it", async () => {
    const claim = await withKey(clinicA.principal, "per-procedure").claims.submit(claimInput());
    const endpoint = await withKey(clinicA.principal, "per-procedure").endpoints.create(
      endpointInput("per-procedure"),
    );
    expect(ClaimSchema.parse(claim).id).toMatch(/^clm_/);
    expect(CreateEndpointOutputSchema.parse(endpoint).id).not.toBe(claim.id);
  });

  it("stores no failure: the key is free for a corrected retry", async () => {
    await expectTrpcError(
      withKey(clinicA.principal, "fix-me").endpoints.create({
        url: "not a url",
        eventTypes: ["claim.approved"],
      }),
      "BAD_REQUEST",
    );
    const created = await withKey(clinicA.principal, "fix-me").endpoints.create(
      endpointInput("fixed"),
    );
    expect(created.url).toBe("https://clinic.example/fixed");
  });

  it("refuses a repeat while the first call is still in progress", async () => {
    const input = endpointInput("slow");
    await beginIdempotentCall(h.insurer.services, {
      scope: principalScope(clinicA.principal),
      procedure: "endpoints.create",
      key: "in-flight",
      input,
    });
    const err = await expectTrpcError(
      withKey(clinicA.principal, "in-flight").endpoints.create(input),
      "CONFLICT",
    );
    expect(err.message).toMatch(/still in progress/);
  });

  it("refuses malformed keys as BAD_REQUEST", async () => {
    for (const key of ["", "has space", "x".repeat(256), "naïve"]) {
      const err = await expectTrpcError(
        withKey(clinicA.principal, key).endpoints.create(endpointInput("bad-key")),
        "BAD_REQUEST",
      );
      expect(err.message).toMatch(/Idempotency-Key/);
    }
  });

  it("applies to staff calls (clinics.create) per staff", async () => {
    const staff = withKey({ role: "insurer" }, "new-clinic");
    const first = await staff.clinics.create({ name: "Idempotent Clinic" });
    const again = await staff.clinics.create({ name: "Idempotent Clinic" });
    expect(again).toEqual(first);
  });

  it("ignores the key on calls that create nothing", async () => {
    const caller = withKey(clinicA.principal, "list-key");
    await caller.endpoints.list();
    await caller.claims.list({ limit: 5 });
    const rows = await h.store.db.select().from(h.store.tables.idempotencyKeys);
    expect(rows.some((r) => r.key === "list-key")).toBe(false);
  });

  it("forgets a key after 24 h: the call runs again", async () => {
    const first = await withKey(clinicA.principal, "expires").endpoints.create(
      endpointInput("expires"),
    );
    clock += DAY - 1;
    const replay = await withKey(clinicA.principal, "expires").endpoints.create(
      endpointInput("expires"),
    );
    expect(replay.id).toBe(first.id);
    clock += 2;
    const fresh = await withKey(clinicA.principal, "expires").endpoints.create(
      endpointInput("expires-other-body"),
    );
    expect(fresh.id).not.toBe(first.id);
    // The next call after a minute sweeps the expired rows.
    clock += DAY + 60_000;
    await withKey(clinicA.principal, "sweeper").endpoints.create(endpointInput("sweeper"));
    const keys = (await h.store.db.select().from(h.store.tables.idempotencyKeys)).map((r) => r.key);
    expect(keys).toEqual(["sweeper"]);
  });
});

describe("Idempotency-Key over HTTP", () => {
  async function trpcSubmit(key: string, input: unknown) {
    const res = await fetch(`${h.url}/claims.submit`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${clinicA.apiKey}`,
        "content-type": "application/json",
        "idempotency-key": key,
      },
      body: JSON.stringify(input),
    });
    return {
      status: res.status,
      replayed: res.headers.get("idempotent-replayed"),
      json: (await res.json()) as { result?: { data: unknown }; error?: { message: string } },
    };
  }

  async function restCreate(
    key: string,
    body: unknown,
    { path = "/endpoints", apiKey = clinicA.apiKey } = {},
  ) {
    const res = await fetch(`${h.baseUrl}/api/v1${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${apiKey}`,
        "content-type": "application/json",
        "idempotency-key": key,
      },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      replayed: res.headers.get("idempotent-replayed"),
      json: (await res.json()) as Record<string, unknown>,
    };
  }

  async function claimCount(): Promise<number> {
    return (await h.store.db.select().from(h.store.tables.claims)).length;
  }

  it("tRPC: one claim, the identical response, marked as replayed", async () => {
    const input = claimInput();
    const before = await claimCount();
    const first = await trpcSubmit("http-claim", input);
    const again = await trpcSubmit("http-claim", input);
    expect(first.status).toBe(200);
    expect(first.replayed).toBeNull();
    expect(again.status).toBe(200);
    expect(again.replayed).toBe("true");
    expect(again.json).toEqual(first.json);
    expect(await claimCount()).toBe(before + 1);

    const conflict = await trpcSubmit("http-claim", claimInput());
    expect(conflict.status).toBe(409);
    expect(conflict.json.error?.message).toBe(
      "Idempotency-Key 'http-claim' was used with a different request",
    );
    expect(await claimCount()).toBe(before + 1);
  });

  it("REST: one endpoint, the identical response, marked as replayed", async () => {
    const before = await endpointCount(clinicA.clinicId);
    const body = endpointInput("rest");
    const first = await restCreate("rest-endpoint", body);
    const again = await restCreate("rest-endpoint", body);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.replayed).toBe("true");
    expect(again.json).toEqual(first.json);
    expect(await endpointCount(clinicA.clinicId)).toBe(before + 1);

    const conflict = await restCreate("rest-endpoint", endpointInput("rest-other"));
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({
      code: "CONFLICT",
      message: "Idempotency-Key 'rest-endpoint' was used with a different request",
    });
    expect(await endpointCount(clinicA.clinicId)).toBe(before + 1);

    const bad = await restCreate("bad key", body);
    expect(bad.status).toBe(400);
  });

  it("stores no one-time secret in clear: the replayed API key is encrypted with the caller's key", async () => {
    const first = await restCreate(
      "new-clinic-http",
      { name: "HTTP Clinic" },
      {
        path: "/clinics",
        apiKey: STAFF_KEY,
      },
    );
    const again = await restCreate(
      "new-clinic-http",
      { name: "HTTP Clinic" },
      {
        path: "/clinics",
        apiKey: STAFF_KEY,
      },
    );
    expect(first.status).toBe(200);
    expect(again.replayed).toBe("true");
    expect(again.json).toEqual(first.json);
    const apiKey = String(first.json.apiKey);
    expect(apiKey).toMatch(/^cw_/);
    const row = (await h.store.db.select().from(h.store.tables.idempotencyKeys)).find(
      (r) => r.key === "new-clinic-http",
    );
    expect(row?.response).toBeTruthy();
    expect(row?.response).not.toContain(apiKey);
  });

  it("refuses another API key of the same clinic a replay it cannot open", async () => {
    const secondKey = generateApiKey();
    await h.store.transaction((tx) =>
      storeApiKey(h.store, tx, clinicA.clinicId, secondKey, new Date().toISOString()),
    );
    const body = endpointInput("two-keys");
    expect((await restCreate("two-keys", body)).status).toBe(200);
    const other = await restCreate("two-keys", body, { apiKey: secondKey });
    expect(other.status).toBe(409);
    expect(other.json).toMatchObject({
      message: "Idempotency-Key 'two-keys' was used with another API key",
    });
  });
});
