import { EndpointConfigSchema } from "@claimwire/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncAllEndpointConfigs } from "../src/domain/endpoints.ts";
import { type Caller, expectTrpcError, startTestInsurer, type TestInsurer } from "./harness.ts";

let h: TestInsurer;
let clinic: Caller;
let clinicId: string;

beforeAll(async () => {
  h = await startTestInsurer();
  ({ caller: clinic, clinicId } = await h.newClinic());
});
afterAll(async () => {
  await h?.stop();
});

/** What a delivery worker would read for an endpoint, or null when it is not there. */
async function configInKv(endpointId: string) {
  const entry = await h.queue.endpoints.get(endpointId);
  if (entry?.operation !== "PUT") return null;
  return EndpointConfigSchema.parse(entry.json());
}

describe("endpoints", () => {
  it("creates an endpoint, returns its secret once, and publishes its config to KV", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/webhooks/insurer",
      eventTypes: ["claim.approved", "claim.paid"],
      description: "MIS",
    });
    expect(created).toMatchObject({
      clinicId,
      url: "https://clinic.example/webhooks/insurer",
      eventTypes: ["claim.approved", "claim.paid"],
      description: "MIS",
      enabled: true,
    });
    expect(created.id).toMatch(/^ep_/);
    expect(created.secret).toMatch(/^whsec_/);

    const listed = await clinic.endpoints.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty("secret");

    expect(await configInKv(created.id)).toEqual({
      id: created.id,
      clinicId,
      url: created.url,
      enabled: true,
      secrets: [created.secret],
    });
  });

  it("deletes an endpoint and its KV config", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/other",
      eventTypes: ["claim.submitted"],
    });
    expect(await clinic.endpoints.delete({ endpointId: created.id })).toEqual({ id: created.id });
    expect(await configInKv(created.id)).toBeNull();
    expect((await clinic.endpoints.list()).map((e) => e.id)).not.toContain(created.id);
    await expectTrpcError(clinic.endpoints.delete({ endpointId: created.id }), "NOT_FOUND");
  });

  it("repairs KV at start-up after a crash left it behind the database", async () => {
    const kept = await clinic.endpoints.create({
      url: "https://clinic.example/kept",
      eventTypes: ["claim.paid"],
    });
    // As if the process died after the commit but before its KV write, and a deleted
    // endpoint's key was left behind.
    await h.queue.endpoints.delete(kept.id);
    const stale = "ep_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6";
    await h.queue.endpoints.put(stale, JSON.stringify({ id: stale }));

    await syncAllEndpointConfigs(h.insurer.services);

    expect((await configInKv(kept.id))?.secrets).toEqual([kept.secret]);
    expect(await configInKv(stale)).toBeNull();
  });
});
