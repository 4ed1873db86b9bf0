import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePrincipal } from "../src/domain/api-keys.ts";
import {
  type Caller,
  claimInput,
  expectOutboxMatchesContract,
  expectTrpcError,
  STAFF_KEY,
  startTestInsurer,
  type TestInsurer,
} from "./harness.ts";

let h: TestInsurer;
let a: { clinicId: string; apiKey: string; caller: Caller };
let b: { clinicId: string; apiKey: string; caller: Caller };

beforeAll(async () => {
  h = await startTestInsurer();
  a = await h.newClinic("Clinic A");
  b = await h.newClinic("Clinic B");
});
afterAll(async () => {
  expectOutboxMatchesContract(h);
  await h?.stop();
});

describe("authentication", () => {
  it("answers `me` with the role the key belongs to", async () => {
    expect(await a.caller.me()).toEqual({ role: "clinic", clinicId: a.clinicId });
    expect(await h.staff.me()).toEqual({ role: "insurer" });
  });

  it("resolves keys by hash: the staff key, a clinic key, and nothing else", () => {
    const services = h.insurer.services;
    expect(resolvePrincipal(services, STAFF_KEY)).toEqual({ role: "insurer" });
    expect(resolvePrincipal(services, a.apiKey)).toEqual({ role: "clinic", clinicId: a.clinicId });
    expect(resolvePrincipal(services, `${a.apiKey}x`)).toBeNull();
    expect(resolvePrincipal(services, undefined)).toBeNull();
    // Only the hash is stored, never the key.
    const stored = h.database.sqlite.prepare("select * from api_keys").all();
    expect(JSON.stringify(stored)).not.toContain(a.apiKey);
  });

  it("refuses a call without a (known) key with UNAUTHORIZED, even with bad input", async () => {
    const anonymous = h.caller(null);
    await expectTrpcError(anonymous.me(), "UNAUTHORIZED");
    await expectTrpcError(anonymous.claims.submit(claimInput({ patientRef: "x" })), "UNAUTHORIZED");
    await expectTrpcError(anonymous.endpoints.list(), "UNAUTHORIZED");
  });

  it("refuses the wrong role with FORBIDDEN", async () => {
    const claim = await a.caller.claims.submit(claimInput());
    await expectTrpcError(
      a.caller.claims.decide({ claimId: claim.id, to: "in_review" }),
      "FORBIDDEN",
    );
    await expectTrpcError(a.caller.clinics.create({ name: "Mine" }), "FORBIDDEN");
    await expectTrpcError(a.caller.claims.queue({ limit: 10 }), "FORBIDDEN");
    await expectTrpcError(h.staff.claims.submit(claimInput()), "FORBIDDEN");
    expect((await a.caller.claims.byId({ claimId: claim.id })).status).toBe("submitted");
  });
});

describe("tenancy", () => {
  it("hides another clinic's claim (NOT_FOUND) and lists only one's own", async () => {
    const claim = await a.caller.claims.submit(claimInput());
    const err = await expectTrpcError(b.caller.claims.byId({ claimId: claim.id }), "NOT_FOUND");
    expect(err.message).toBe(`No claim with id '${claim.id}'`);
    await expectTrpcError(b.caller.claims.withdraw({ claimId: claim.id }), "NOT_FOUND");
    expect((await h.staff.claims.byId({ claimId: claim.id })).status).toBe("submitted");

    const listA = await a.caller.claims.list({ limit: 100 });
    const listB = await b.caller.claims.list({ limit: 100 });
    expect(listA.items.map((c) => c.id)).toContain(claim.id);
    expect(listA.items.every((c) => c.clinicId === a.clinicId)).toBe(true);
    expect(listB.items.map((c) => c.id)).not.toContain(claim.id);
  });

  it("lets two clinics use the same clinic reference independently", async () => {
    const input = claimInput();
    const mine = await a.caller.claims.submit(input);
    const theirs = await b.caller.claims.submit(input);
    expect(theirs.id).not.toBe(mine.id);
  });

  it("hides another clinic's endpoint: not listed, and deleting it is NOT_FOUND", async () => {
    const endpoint = await a.caller.endpoints.create({
      url: "http://127.0.0.1:9/hooks",
      eventTypes: ["claim.approved"],
    });
    expect(await b.caller.endpoints.list()).toEqual([]);
    const err = await expectTrpcError(
      b.caller.endpoints.delete({ endpointId: endpoint.id }),
      "NOT_FOUND",
    );
    expect(err.message).toBe(`No endpoint with id '${endpoint.id}'`);
    expect((await a.caller.endpoints.list()).map((e) => e.id)).toEqual([endpoint.id]);
  });
});
