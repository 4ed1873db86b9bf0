import { syncAllEndpointConfigs } from "@claimwire/insurer-domain";
import type { EndpointConfig } from "@claimwire/queue";
import { buildWebhookHeaders, derivePublicKey, verifyWebhook } from "@claimwire/webhooks";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Caller,
  endpointConfigInKv,
  expectTrpcError,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

const OVERLAP_MS = 3_600_000;

let h: TestInsurer;
let clinic: Caller;
let clinicId: string;

beforeAll(async () => {
  h = await startTestInsurer({ env: { ENDPOINT_SECRET_OVERLAP_MS: String(OVERLAP_MS) } });
  ({ caller: clinic, clinicId } = await h.newClinic());
});
afterAll(async () => {
  await h?.stop();
});

/** Signs a body the way a worker does with this config (expired retiring keys skipped). */
function signWith(config: EndpointConfig, body: string) {
  const now = Date.now();
  const live = config.retiringSecrets.filter((s) => Date.parse(s.expiresAt) > now);
  return buildWebhookHeaders({
    secrets: [...config.secrets, ...live.map((s) => s.secret)],
    msgId: "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
    timestamp: Math.floor(now / 1000),
    body,
  });
}

function verifies(key: string, headers: Record<string, string>, body: string): boolean {
  try {
    verifyWebhook({ secret: key, headers, body });
    return true;
  } catch {
    return false;
  }
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
      signatureScheme: "hmac-sha256",
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
    });
    expect(created.id).toMatch(/^ep_/);
    expect(created.secret).toMatch(/^whsec_/);

    const listed = await clinic.endpoints.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty("secret");

    expect(await endpointConfigInKv(h, created.id)).toEqual({
      id: created.id,
      clinicId,
      url: created.url,
      enabled: true,
      secrets: [created.secret],
      retiringSecrets: [],
      headers: {},
    });
  });

  it("updates URL, event types and description, and KV follows", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/old",
      eventTypes: ["claim.paid"],
    });
    const updated = await clinic.endpoints.update({
      endpointId: created.id,
      url: "https://clinic.example/new",
      eventTypes: ["claim.paid", "endpoint.disabled", "claim.paid"],
    });
    expect(updated).toMatchObject({
      url: "https://clinic.example/new",
      eventTypes: ["claim.paid", "endpoint.disabled"],
      description: "",
    });
    expect((await endpointConfigInKv(h, created.id))?.url).toBe("https://clinic.example/new");
    const nothing = await expectTrpcError(
      clinic.endpoints.update({ endpointId: created.id }),
      "BAD_REQUEST",
    );
    expect(nothing.message).toBe(
      "give at least one of url, eventTypes, description, headers, rateLimitPerSecond, payloadFilter",
    );
  });

  it("deletes an endpoint and its KV config", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/other",
      eventTypes: ["claim.submitted"],
    });
    expect(await clinic.endpoints.delete({ endpointId: created.id })).toEqual({ id: created.id });
    expect(await endpointConfigInKv(h, created.id)).toBeNull();
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

    expect((await endpointConfigInKv(h, kept.id))?.secrets).toEqual([kept.secret]);
    expect(await endpointConfigInKv(h, stale)).toBeNull();
  });
});

describe("endpoints.rotateSecret", () => {
  const body = '{"type":"claim.paid"}';

  it("returns a new secret; the old one keeps signing beside it for the overlap window", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/rotating",
      eventTypes: ["claim.paid"],
    });
    const before = Date.now();
    const rotated = await clinic.endpoints.rotateSecret({ endpointId: created.id });
    expect(rotated).toMatchObject({ endpointId: created.id, signatureScheme: "hmac-sha256" });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    const expiresAt = Date.parse(rotated.previousSecretExpiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + OVERLAP_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + OVERLAP_MS);

    const config = (await endpointConfigInKv(h, created.id))!;
    expect(config.secrets).toEqual([rotated.secret]);
    expect(config.retiringSecrets).toEqual([
      { secret: created.secret, expiresAt: rotated.previousSecretExpiresAt },
    ]);
    // A webhook signed now verifies with the old secret and with the new one.
    const headers = signWith(config, body);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verifies(created.secret, headers, body)).toBe(true);
    expect(verifies(rotated.secret, headers, body)).toBe(true);
  });

  it("prunes retiring keys whose window has passed when it writes the config", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/rotating-twice",
      eventTypes: ["claim.paid"],
    });
    const first = await clinic.endpoints.rotateSecret({ endpointId: created.id });
    // The first overlap window has passed.
    const { endpoints } = h.store.tables;
    await h.store.transaction(async (tx) => {
      await tx
        .update(endpoints)
        .set({
          retiringSecrets: [
            { secret: created.secret, expiresAt: new Date(Date.now() - 1).toISOString() },
          ],
        })
        .where(eq(endpoints.id, created.id));
    });
    const second = await clinic.endpoints.rotateSecret({ endpointId: created.id });
    const config = (await endpointConfigInKv(h, created.id))!;
    expect(config.secrets).toEqual([second.secret]);
    expect(config.retiringSecrets.map((s) => s.secret)).toEqual([first.secret]);
    const headers = signWith(config, body);
    expect(verifies(created.secret, headers, body)).toBe(false);
    expect(verifies(first.secret, headers, body)).toBe(true);
  });

  it("rotates an ed25519 endpoint: the clinic gets a new public key, we keep the secret key", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/ed25519",
      eventTypes: ["claim.paid"],
      signatureScheme: "ed25519",
    });
    expect(created.signatureScheme).toBe("ed25519");
    expect(created.secret).toMatch(/^whpk_/);
    const config = (await endpointConfigInKv(h, created.id))!;
    expect(config.secrets).toHaveLength(1);
    expect(config.secrets[0]).toMatch(/^whsk_/);
    expect(derivePublicKey(config.secrets[0]!)).toBe(created.secret);
    const headers = signWith(config, body);
    expect(headers["webhook-signature"]).toMatch(/^v1a,/);
    expect(verifies(created.secret, headers, body)).toBe(true);

    const rotated = await clinic.endpoints.rotateSecret({ endpointId: created.id });
    expect(rotated.signatureScheme).toBe("ed25519");
    expect(rotated.secret).toMatch(/^whpk_/);
    const after = (await endpointConfigInKv(h, created.id))!;
    expect(derivePublicKey(after.secrets[0]!)).toBe(rotated.secret);
    const both = signWith(after, body);
    expect(verifies(created.secret, both, body)).toBe(true);
    expect(verifies(rotated.secret, both, body)).toBe(true);
  });

  it("is the clinic's own: another clinic's endpoint is NOT_FOUND, staff are refused", async () => {
    const created = await clinic.endpoints.create({
      url: "https://clinic.example/mine",
      eventTypes: ["claim.paid"],
    });
    const other = await h.newClinic("Other");
    await expectTrpcError(
      other.caller.endpoints.rotateSecret({ endpointId: created.id }),
      "NOT_FOUND",
    );
    await expectTrpcError(h.staff.endpoints.rotateSecret({ endpointId: created.id }), "FORBIDDEN");
    expect((await endpointConfigInKv(h, created.id))?.secrets).toEqual([created.secret]);
  });
});

describe("endpoint URL validation", () => {
  let strict: TestInsurer;
  let caller: Caller;
  beforeAll(async () => {
    strict = await startTestInsurer({ env: { ENDPOINT_ALLOW_HTTP: "false" } });
    ({ caller } = await strict.newClinic());
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it("requires https unless ENDPOINT_ALLOW_HTTP, on create and on update, with a clear message", async () => {
    const http = await expectTrpcError(
      caller.endpoints.create({
        url: "http://mis.clinic.example/hooks",
        eventTypes: ["claim.paid"],
      }),
      "BAD_REQUEST",
    );
    expect(http.message).toBe(
      "url: must use https ('http://mis.clinic.example' is plain http, which this insurer does not deliver to)",
    );
    const created = await caller.endpoints.create({
      url: "https://mis.clinic.example/hooks",
      eventTypes: ["claim.paid"],
    });
    await expectTrpcError(
      caller.endpoints.update({ endpointId: created.id, url: "http://mis.clinic.example/hooks" }),
      "BAD_REQUEST",
    );
    expect((await caller.endpoints.list()).map((e) => e.url)).toEqual([
      "https://mis.clinic.example/hooks",
    ]);
    // The permissive insurer of the other tests accepts the same http URL.
    await expect(
      clinic.endpoints.create({ url: "http://127.0.0.1:3000/hooks", eventTypes: ["claim.paid"] }),
    ).resolves.toMatchObject({ url: "http://127.0.0.1:3000/hooks" });
  });

  it("refuses other schemes and credentials in the URL", async () => {
    const ftp = await expectTrpcError(
      caller.endpoints.create({ url: "ftp://mis.clinic.example/", eventTypes: ["claim.paid"] }),
      "BAD_REQUEST",
    );
    expect(ftp.message).toBe("url: must be an http(s) URL");
    const creds = await expectTrpcError(
      caller.endpoints.create({
        url: "https://a:b@mis.clinic.example/",
        eventTypes: ["claim.paid"],
      }),
      "BAD_REQUEST",
    );
    expect(creds.message).toMatch(/^url: must not contain credentials/);
    expect(await caller.endpoints.list()).toHaveLength(1);
  });

  it("refuses an IP literal that deliveries may not reach, on create and on update, naming the range", async () => {
    const created = await expectTrpcError(
      caller.endpoints.create({ url: "https://10.0.0.7/hooks", eventTypes: ["claim.paid"] }),
      "BAD_REQUEST",
    );
    expect(created.message).toBe(
      "url: address 10.0.0.7 is in the private range, which deliveries may not reach (ENDPOINT_ALLOW_PRIVATE_NETWORKS can allow a range)",
    );
    const [existing] = await caller.endpoints.list();
    const updated = await expectTrpcError(
      caller.endpoints.update({
        endpointId: existing!.id,
        url: "https://169.254.169.254/latest/meta-data",
      }),
      "BAD_REQUEST",
    );
    expect(updated.message).toMatch(/^url: address 169\.254\.169\.254 is in the linkLocal range/);
    // Nothing changed; loopback is in this insurer's ENDPOINT_ALLOW_PRIVATE_NETWORKS.
    expect((await caller.endpoints.list()).map((e) => e.url)).toEqual([existing!.url]);
    await expect(
      caller.endpoints.create({ url: "https://127.0.0.1:8443/hooks", eventTypes: ["claim.paid"] }),
    ).resolves.toMatchObject({ url: "https://127.0.0.1:8443/hooks" });
  });
});
