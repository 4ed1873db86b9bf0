import { createInsurerClient } from "@claimwire/sdk";
import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointDeliveries } from "../src/harness/insurer-api-reads.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";
import { startTestReceiver, type TestReceiver } from "../src/harness/test-receiver.ts";

/**
 * A payload filter across processes: set through the SDK over HTTP, evaluated by the
 * insurer process at fan-out, and seen at the receiving end as the webhooks that arrive
 * (and the deliveries that exist) — only the claims it selects.
 */
let sys: RunningSystem;
let filtered: TestReceiver;
let everything: TestReceiver;

beforeAll(async () => {
  sys = await startSystem();
  filtered = await startTestReceiver();
  everything = await startTestReceiver();
});
afterAll(async () => {
  await filtered?.close();
  await everything?.close();
  await sys?.stop();
});

describe("payload filter, end to end", () => {
  it("delivers to a filtered endpoint only the events its filter selects", async () => {
    const { apiKey } = await sys.staff.clinics.create.mutate({ name: "Filtering Clinic" });
    const client = createInsurerClient({ baseUrl: sys.insurerUrl, apiKey });
    // sampleClaim totals €185.00; only claims over €1,000 (minor units) go to `filtered`.
    const bigOnly = await client.endpoints.create.mutate({
      url: filtered.url,
      eventTypes: ["claim.submitted"],
      payloadFilter: { "data.total.amount": { $gt: 100_000 } },
    });
    const all = await client.endpoints.create.mutate({
      url: everything.url,
      eventTypes: ["claim.submitted"],
    });

    const small = await client.claims.submit.mutate(sampleClaim());
    const big = await client.claims.submit.mutate(
      sampleClaim({
        serviceLines: [
          { code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: 150_000 },
        ],
      }),
    );
    const claimIds = (arrivals: TestReceiver["arrivals"]) =>
      arrivals.map((a) => (JSON.parse(a.body) as { data: { claimId: string } }).data.claimId);

    await waitFor("both claims at the unfiltered endpoint", () => everything.arrivals.length >= 2);
    await waitFor("the big claim at the filtered endpoint", () => filtered.arrivals.length >= 1);
    expect(claimIds(everything.arrivals).sort()).toEqual([small.id, big.id].sort());
    expect(claimIds(filtered.arrivals)).toEqual([big.id]);
    // Fan-out wrote no delivery for the small claim: there is nothing left to arrive later.
    expect(await endpointDeliveries(client, bigOnly.id)).toHaveLength(1);
    expect(await endpointDeliveries(client, all.id)).toHaveLength(2);
  });

  it("refuses a malformed filter over HTTP, naming its path", async () => {
    await expect(
      sys.clinicClient.endpoints.create.mutate({
        url: filtered.url,
        eventTypes: ["claim.*"],
        payloadFilter: { "data.status": { $where: "true" } },
      }),
    ).rejects.toThrow("payloadFilter.data.status.$where: '$where' is not allowed: it runs code");
  });
});
