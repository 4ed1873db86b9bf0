import { resolvePrincipal } from "@claimwire/insurer-domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectTrpcError,
  STAFF_KEY,
  startTestInsurer,
  type TestClinic,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;
let a: TestClinic;
let b: TestClinic;

beforeAll(async () => {
  h = await startTestInsurer({ start: true });
  a = await h.newClinic("Clinic A");
  b = await h.newClinic("Clinic B");
});
afterAll(async () => {
  await h?.stop();
});

/** `GET /api/v1/me` over HTTP with a key: the status a caller sees. */
async function meStatus(key: string): Promise<number> {
  const res = await fetch(new URL("/api/v1/me", h.url), {
    headers: { authorization: `Bearer ${key}` },
  });
  await res.body?.cancel();
  return res.status;
}

describe("apiKeys.create", () => {
  it("gives a clinic another working key, shown once, identified by its prefix", async () => {
    const created = await a.caller.apiKeys.create({ name: "billing system" });
    expect(created.id).toMatch(/^key_/);
    expect(created.apiKey).toMatch(/^cw_/);
    expect(created.apiKey.startsWith(created.prefix)).toBe(true);
    expect(await resolvePrincipal(h.insurer.services, created.apiKey)).toEqual({
      role: "clinic",
      clinicId: a.clinicId,
    });
    const listed = await a.caller.apiKeys.list({});
    expect(listed.find((k) => k.id === created.id)).toMatchObject({
      prefix: created.prefix,
      name: "billing system",
      revokedAt: null,
    });
    // Never the key nor its hash, in the list or in the database.
    expect(JSON.stringify(listed)).not.toContain(created.apiKey);
    expect(JSON.stringify(listed)).not.toMatch(/[0-9a-f]{64}/);
    const stored = await h.store.db.select().from(h.store.tables.apiKeys);
    expect(JSON.stringify(stored)).not.toContain(created.apiKey);
  });

  it("lets staff create a key for any clinic, naming it; staff without a clinicId is refused", async () => {
    const created = await h.staff.apiKeys.create({ clinicId: b.clinicId });
    expect(await resolvePrincipal(h.insurer.services, created.apiKey)).toEqual({
      role: "clinic",
      clinicId: b.clinicId,
    });
    await expect(h.staff.apiKeys.create({})).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("clinicId"),
    });
    await expect(
      h.staff.apiKeys.create({ clinicId: "cln_01JDQ6Y0000000000000000000" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "No clinic with id 'cln_01JDQ6Y0000000000000000000'",
    });
  });

  it("does not let a clinic create or list another clinic's keys (NOT_FOUND)", async () => {
    await expectTrpcError(a.caller.apiKeys.create({ clinicId: b.clinicId }), "NOT_FOUND");
    await expectTrpcError(a.caller.apiKeys.list({ clinicId: b.clinicId }), "NOT_FOUND");
    const own = await a.caller.apiKeys.list({ clinicId: a.clinicId });
    expect(own.length).toBeGreaterThan(0);
  });
});

describe("apiKeys.list", () => {
  it("shows staff a clinic's keys with when each was last used", async () => {
    // Not h.newClinic: it resolves the key, which counts as a use.
    const { clinic, apiKey } = await h.staff.clinics.create({ name: "Clinic C" });
    const c = { clinicId: clinic.id, apiKey };
    const before = await h.staff.apiKeys.list({ clinicId: c.clinicId });
    expect(before).toEqual([
      {
        id: expect.stringMatching(/^key_/),
        prefix: c.apiKey.slice(0, 10),
        name: null,
        createdAt: expect.any(String),
        revokedAt: null,
        lastUsedAt: null,
      },
    ]);
    expect(await meStatus(c.apiKey)).toBe(200);
    const after = await h.staff.apiKeys.list({ clinicId: c.clinicId });
    expect(after[0]?.lastUsedAt).not.toBeNull();
  });
});

describe("apiKeys.revoke", () => {
  it("makes a revoked key UNAUTHORIZED at once, leaving the clinic's other keys working", async () => {
    const c = await h.newClinic("Clinic D");
    const second = await c.caller.apiKeys.create({ name: "second" });
    expect(await meStatus(second.apiKey)).toBe(200);

    const revoked = await c.caller.apiKeys.revoke({ keyId: second.id });
    expect(revoked).toMatchObject({ id: second.id, revokedAt: expect.any(String) });
    expect(await meStatus(second.apiKey)).toBe(401);
    expect(await resolvePrincipal(h.insurer.services, second.apiKey)).toBeNull();
    expect(await meStatus(c.apiKey)).toBe(200);
    const listed = await c.caller.apiKeys.list({});
    expect(listed.find((k) => k.id === second.id)?.revokedAt).toBe(revoked.revokedAt);
  });

  it("refuses to revoke a clinic's last active key (CONFLICT), so it cannot lock itself out", async () => {
    const c = await h.newClinic("Clinic E");
    const [only] = await c.caller.apiKeys.list({});
    await expect(c.caller.apiKeys.revoke({ keyId: only!.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("last active key"),
    });
    expect(await meStatus(c.apiKey)).toBe(200);
  });

  it("lets staff revoke any clinic's key, even its last", async () => {
    const c = await h.newClinic("Clinic F");
    const [only] = await h.staff.apiKeys.list({ clinicId: c.clinicId });
    await h.staff.apiKeys.revoke({ keyId: only!.id });
    expect(await meStatus(c.apiKey)).toBe(401);
  });

  it("answers another clinic's key or an unknown one with NOT_FOUND, changing nothing", async () => {
    const [bKey] = await h.staff.apiKeys.list({ clinicId: b.clinicId });
    await expect(a.caller.apiKeys.revoke({ keyId: bKey!.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: `No API key with id '${bKey!.id}'`,
    });
    expect(await meStatus(b.apiKey)).toBe(200);
    await expectTrpcError(
      h.staff.apiKeys.revoke({ keyId: "key_01JDQ6Y0000000000000000000" }),
      "NOT_FOUND",
    );
  });

  it("is served over REST and refuses a missing key before anything else", async () => {
    const res = await fetch(new URL(`/api/v1/api-keys?clinicId=${a.clinicId}`, h.url), {
      headers: { authorization: `Bearer ${STAFF_KEY}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBeGreaterThan(0);
    await expectTrpcError(h.caller(null).apiKeys.list({}), "UNAUTHORIZED");
  });
});

describe("endpoints.list with clinicId", () => {
  it("lets staff list a clinic's endpoints; a clinic sees only its own", async () => {
    const endpoint = await a.caller.endpoints.create({
      url: "https://clinic-a.example/hooks",
      eventTypes: ["claim.submitted"],
    });
    expect((await h.staff.endpoints.list({ clinicId: a.clinicId })).map((e) => e.id)).toEqual([
      endpoint.id,
    ]);
    expect(await h.staff.endpoints.list({ clinicId: b.clinicId })).toEqual([]);
    expect((await a.caller.endpoints.list()).map((e) => e.id)).toEqual([endpoint.id]);
    await expectTrpcError(b.caller.endpoints.list({ clinicId: a.clinicId }), "NOT_FOUND");
    await expectTrpcError(h.staff.endpoints.list(), "BAD_REQUEST");
  });
});
