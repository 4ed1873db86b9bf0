// Payload filters end to end in one process: set on create and update (tRPC and REST),
// refused by name when malformed, and applied by fan-out in the event's transaction.
import { EndpointSchema } from "@claimwire/contracts";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestErrorSchema } from "../src/rest/rest-error.ts";
import { deliveriesOfEvent } from "../src/testing/delivery-fixtures.ts";
import {
  type Caller,
  checkOutboxAndStop,
  claimInput,
  expectTrpcError,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;
let clinic: Caller;
let apiKey: string;

beforeAll(async () => {
  h = await startTestInsurer({ start: true });
  ({ caller: clinic, apiKey } = await h.newClinic("Filter Clinic"));
});
afterAll(() => checkOutboxAndStop(h));

const url = "https://clinic.example/filtered";
/** claimInput's total is €185.00 (18,500 cents); this one's is €260.00. */
const biggerClaim = () =>
  claimInput({
    serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: 2, unitAmount: 13_000 }],
  });

async function storedFilter(endpointId: string) {
  const { endpoints } = h.store.tables;
  const [row] = await h.store.db.select().from(endpoints).where(eq(endpoints.id, endpointId));
  return row?.payloadFilter;
}

/** The endpoints the latest event of `claimId` of `type` was fanned out to. */
async function receivers(claimId: string, type: string): Promise<string[]> {
  const { events } = h.store.tables;
  const event = (await h.store.db.select().from(events).where(eq(events.claimId, claimId))).find(
    (e) => e.type === type,
  );
  if (!event) throw new Error(`no ${type} event for claim ${claimId}`);
  return (await deliveriesOfEvent(h, event.id)).map((d) => d.endpointId).sort();
}

describe("fan-out with payload filters (one delivery row per matching endpoint)", () => {
  it("writes no delivery for an endpoint whose filter the event fails", async () => {
    const { caller } = await h.newClinic("Fan-out Filter Clinic");
    const everything = await caller.endpoints.create({ url, eventTypes: ["claim.*"] });
    const overTwoHundred = await caller.endpoints.create({
      url,
      eventTypes: ["claim.*"],
      payloadFilter: { "data.total.amount": { $gt: 20_000 } },
    });
    const decided = await caller.endpoints.create({
      url,
      eventTypes: ["claim.*"],
      payloadFilter: { data: { status: { $in: ["approved", "paid"] } } },
    });
    // A disabled endpoint's filter counts too: no row at all, not even a failed one.
    const disabledBig = await caller.endpoints.create({
      url,
      eventTypes: ["claim.*"],
      payloadFilter: { "data.total.amount": { $gt: 20_000 } },
    });
    await caller.endpoints.disable({ endpointId: disabledBig.id });

    const small = await caller.claims.submit(claimInput());
    const big = await caller.claims.submit(biggerClaim());
    expect(await receivers(small.id, "claim.submitted")).toEqual([everything.id]);
    expect(await receivers(big.id, "claim.submitted")).toEqual(
      [everything.id, overTwoHundred.id, disabledBig.id].sort(),
    );

    await h.staff.claims.decide({ claimId: small.id, to: "in_review" });
    await h.staff.claims.decide({ claimId: small.id, to: "approved" });
    expect(await receivers(small.id, "claim.in_review")).toEqual([everything.id]);
    expect(await receivers(small.id, "claim.approved")).toEqual([everything.id, decided.id].sort());

    // A changed filter applies to the events committed after it.
    await caller.endpoints.update({ endpointId: overTwoHundred.id, payloadFilter: null });
    await h.staff.claims.decide({ claimId: small.id, to: "paid", paymentReference: "PAY-1" });
    expect(await receivers(small.id, "claim.paid")).toEqual(
      [everything.id, overTwoHundred.id, decided.id].sort(),
    );
  });

  it("still sends webhook.test to the endpoint it names, whatever its filter", async () => {
    const endpoint = await clinic.endpoints.create({
      url,
      eventTypes: ["claim.paid"],
      payloadFilter: { "data.total.amount": { $gt: 1_000_000_000 } },
    });
    const sent = await clinic.endpoints.sendTest({ endpointId: endpoint.id });
    expect((await deliveriesOfEvent(h, sent.eventId)).map((d) => d.endpointId)).toEqual([
      endpoint.id,
    ]);
  });
});

describe("endpoints.create and update with a payload filter", () => {
  it("stores, returns, replaces and removes the filter ({} is no filter)", async () => {
    const filter = { "data.status": { $neq: "rejected" }, "data.total.amount": { $gte: 10_000 } };
    const created = await clinic.endpoints.create({
      url,
      eventTypes: ["claim.*"],
      payloadFilter: filter,
    });
    expect(created.payloadFilter).toEqual(filter);
    expect((await clinic.endpoints.byId({ endpointId: created.id })).payloadFilter).toEqual(filter);
    expect((await h.staff.endpoints.byId({ endpointId: created.id })).payloadFilter).toEqual(
      filter,
    );

    const replaced = await clinic.endpoints.update({
      endpointId: created.id,
      payloadFilter: { type: "claim.paid" },
    });
    expect(replaced.payloadFilter).toEqual({ type: "claim.paid" });
    // Other changes leave it alone.
    const described = await clinic.endpoints.update({
      endpointId: created.id,
      description: "paid only",
    });
    expect(described.payloadFilter).toEqual({ type: "claim.paid" });
    expect(
      (await clinic.endpoints.update({ endpointId: created.id, payloadFilter: {} })).payloadFilter,
    ).toBeNull();
    expect(await storedFilter(created.id)).toBeNull();

    const plain = await clinic.endpoints.create({ url, eventTypes: ["*"] });
    expect(plain.payloadFilter).toBeNull();
  });

  it("refuses a malformed filter by the path of its bad part, changing nothing", async () => {
    const before = (await clinic.endpoints.list()).length;
    const regex = await expectTrpcError(
      clinic.endpoints.create({
        url,
        eventTypes: ["claim.*"],
        payloadFilter: { data: { clinicReference: { $regex: "^(a|a)+$" } } },
      }),
      "BAD_REQUEST",
    );
    expect(regex.message).toBe(
      "payloadFilter.data.clinicReference.$regex: '$regex' is not allowed: a pattern can take exponential time on a crafted value; use $eq or $in",
    );
    const where = await expectTrpcError(
      clinic.endpoints.create({ url, eventTypes: ["claim.*"], payloadFilter: { $where: "1" } }),
      "BAD_REQUEST",
    );
    expect(where.message).toBe("payloadFilter.$where: '$where' is not allowed: it runs code");
    expect(await clinic.endpoints.list()).toHaveLength(before);

    const kept = { "data.status": "paid" };
    const endpoint = await clinic.endpoints.create({
      url,
      eventTypes: ["claim.*"],
      payloadFilter: kept,
    });
    const badValue = await expectTrpcError(
      clinic.endpoints.update({
        endpointId: endpoint.id,
        description: "changed",
        payloadFilter: { $or: [{ "data.total.amount": { $gt: [1] } }] },
      }),
      "BAD_REQUEST",
    );
    expect(badValue.message).toBe(
      "payloadFilter.$or.0.data.total.amount.$gt: '$gt' takes a number or a string",
    );
    expect(await clinic.endpoints.byId({ endpointId: endpoint.id })).toMatchObject({
      payloadFilter: kept,
      description: "",
    });
  });
});

describe("payload filters over REST", () => {
  async function call(method: string, path: string, body: unknown) {
    const res = await fetch(`${h.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as unknown };
  }

  it("takes the filter as JSON on POST and PATCH and answers 400 naming a bad one", async () => {
    const filter = { "data.status": { $in: ["approved", "paid"] } };
    const created = await call("POST", "/endpoints", {
      url,
      eventTypes: ["claim.*"],
      payloadFilter: filter,
    });
    expect(created.status).toBe(200);
    const endpoint = EndpointSchema.parse(created.json);
    expect(endpoint.payloadFilter).toEqual(filter);

    const refused = await call("PATCH", `/endpoints/${endpoint.id}`, {
      payloadFilter: { "data.status": { $in: [] } },
    });
    expect(refused.status).toBe(400);
    expect(RestErrorSchema.parse(refused.json).message).toBe(
      "payloadFilter.data.status.$in: '$in' takes a non-empty list of strings, numbers, booleans or null",
    );
    expect(await storedFilter(endpoint.id)).toEqual(filter);
  });
});
