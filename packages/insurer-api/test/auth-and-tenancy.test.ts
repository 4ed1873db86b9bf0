import { resolvePrincipal } from "@claimwire/insurer-domain";
import { asc, count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failUntilDeadLetter, submitAndDispatch } from "../src/testing/delivery-fixtures.ts";
import {
  checkOutboxAndStop,
  claimInput,
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
  h = await startTestInsurer();
  a = await h.newClinic("Clinic A");
  b = await h.newClinic("Clinic B");
});
afterAll(() => checkOutboxAndStop(h));

describe("authentication", () => {
  it("answers `me` with the role the key belongs to", async () => {
    expect(await a.caller.me()).toEqual({ role: "clinic", clinicId: a.clinicId });
    expect(await h.staff.me()).toEqual({ role: "insurer" });
  });

  it("resolves keys by hash: the staff key, a clinic key, and nothing else", async () => {
    const services = h.insurer.services;
    expect(await resolvePrincipal(services, STAFF_KEY)).toEqual({ role: "insurer" });
    expect(await resolvePrincipal(services, a.apiKey)).toEqual({
      role: "clinic",
      clinicId: a.clinicId,
    });
    expect(await resolvePrincipal(services, `${a.apiKey}x`)).toBeNull();
    expect(await resolvePrincipal(services, undefined)).toBeNull();
    // Only the hash is stored, never the key.
    const stored = await h.store.db.select().from(h.store.tables.apiKeys);
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

  it("hides another clinic's endpoints and deliveries from every delivery procedure (NOT_FOUND)", async () => {
    const endpoint = await a.caller.endpoints.create({
      url: "https://clinic-a.example/hooks",
      eventTypes: ["claim.submitted"],
    });
    const [task] = await submitAndDispatch(h, a.caller);
    await failUntilDeadLetter(h, task!);
    const endpointId = endpoint.id;
    const deliveryId = task!.deliveryId;
    const since = "2020-01-01T00:00:00.000Z";
    const { db, tables } = h.store;
    const snapshot = async () => ({
      endpoints: await db.select().from(tables.endpoints).orderBy(asc(tables.endpoints.id)),
      deliveries: await db.select().from(tables.deliveries).orderBy(asc(tables.deliveries.id)),
      events: (await db.select({ n: count() }).from(tables.events))[0],
    });
    const before = await snapshot();

    // Each call is made when its turn comes, so none fails before its error is awaited.
    const attempts: [string, () => Promise<unknown>, string][] = [
      [
        "endpoints.update",
        () => b.caller.endpoints.update({ endpointId, description: "x" }),
        "endpoint",
      ],
      ["endpoints.enable", () => b.caller.endpoints.enable({ endpointId }), "endpoint"],
      ["endpoints.disable", () => b.caller.endpoints.disable({ endpointId }), "endpoint"],
      ["endpoints.rotateSecret", () => b.caller.endpoints.rotateSecret({ endpointId }), "endpoint"],
      ["endpoints.recover", () => b.caller.endpoints.recover({ endpointId, since }), "endpoint"],
      ["deliveries.list", () => b.caller.deliveries.list({ endpointId, limit: 10 }), "endpoint"],
      ["deliveries.attempts", () => b.caller.deliveries.attempts({ deliveryId }), "delivery"],
      ["deliveries.resend", () => b.caller.deliveries.resend({ deliveryId }), "delivery"],
    ];
    for (const [name, call, kind] of attempts) {
      const err = await expectTrpcError(call(), "NOT_FOUND");
      const id = kind === "endpoint" ? endpointId : deliveryId;
      expect(err.message, name).toBe(`No ${kind} with id '${id}'`);
    }
    expect(await snapshot()).toEqual(before);

    // Staff may look and act on any clinic's, except the clinic's own key material.
    expect((await h.staff.deliveries.list({ endpointId, limit: 10 })).items).toHaveLength(1);
    expect(await h.staff.deliveries.attempts({ deliveryId })).toHaveLength(
      h.insurer.services.delivery.retry.schedule.length,
    );
    await expectTrpcError(h.staff.endpoints.rotateSecret({ endpointId }), "FORBIDDEN");
    await expectTrpcError(h.staff.endpoints.update({ endpointId, description: "x" }), "FORBIDDEN");
    await expectTrpcError(h.caller(null).deliveries.list({ endpointId, limit: 1 }), "UNAUTHORIZED");
    await expectTrpcError(h.caller(null).endpoints.recover({ endpointId, since }), "UNAUTHORIZED");
  });
});
