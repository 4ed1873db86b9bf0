import { type CreateEndpointInput, WEBHOOK_EVENT_TYPES } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { createInsurerClient } from "@claimwire/sdk";
import { generateSecret } from "@claimwire/webhooks";
import { afterEach, describe, expect, it } from "vitest";
import { createTestClinic, silentLogger, type TestClinic } from "../testing/clinic-fixture.ts";
import { loadRegistration, saveRegistration } from "./endpoint-registration.ts";
import { ensureEndpoint } from "./ensure-endpoint.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

const publicUrl = "http://127.0.0.1:3000";
const url = `${publicUrl}/webhooks/insurer`;
const clinicId = newId("clinic");
const newSecret = generateSecret();

type ListedEndpoint = { id: string; url: string; enabled: boolean };

/**
 * Stands in for the insurer's endpoints API (the real one is exercised by the
 * cross-process tests): it keeps a list, and can fail its first calls like an insurer
 * that is still starting.
 */
function fakeEndpoints(initial: ListedEndpoint[] = [], failFirst = 0) {
  const endpoints = [...initial];
  const created: CreateEndpointInput[] = [];
  const deleted: string[] = [];
  let calls = 0;
  const endpoint = (e: ListedEndpoint) => ({
    ...e,
    clinicId,
    eventTypes: [...WEBHOOK_EVENT_TYPES],
    description: "",
    signatureScheme: "hmac-sha256" as const,
    headers: {},
    rateLimitPerSecond: null,
    payloadFilter: null,
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    createdAt: "2026-11-30T09:00:00.000Z",
  });
  const client = {
    endpoints: {
      list: {
        query: async () => {
          if (++calls <= failFirst) throw new TypeError("fetch failed");
          return endpoints.map(endpoint);
        },
      },
      create: {
        mutate: async (input: CreateEndpointInput) => {
          created.push(input);
          const id = newId("endpoint");
          endpoints.push({ id, url: input.url, enabled: true });
          return { ...endpoint({ id, url: input.url, enabled: true }), secret: newSecret };
        },
      },
      delete: {
        mutate: async ({ endpointId }: { endpointId: string }) => {
          deleted.push(endpointId);
          return { id: endpointId };
        },
      },
    },
  };
  return {
    client,
    created,
    deleted,
    get calls() {
      return calls;
    },
  };
}

function run(client: Parameters<typeof ensureEndpoint>[0]["client"], signal?: AbortSignal) {
  return ensureEndpoint({
    db: clinic.db,
    client,
    publicUrl,
    logger: silentLogger,
    clock: clinic.clock,
    signal,
    retryDelayMs: () => 1,
  });
}

describe("ensureEndpoint", () => {
  it("registers the receiver for every event type and stores the secret", async () => {
    clinic = createTestClinic({ register: false });
    const insurer = fakeEndpoints();
    const registration = await run(insurer.client);
    expect(insurer.created).toEqual([
      { url, eventTypes: WEBHOOK_EVENT_TYPES, description: expect.any(String) },
    ]);
    expect(loadRegistration(clinic.db)).toEqual(registration);
    expect(registration).toMatchObject({ url, secret: newSecret });
    // With a registration the receiver stops answering 503.
    const response = await clinic.app.request("/webhooks/insurer", { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
  });

  it("reuses a stored registration the insurer still lists", async () => {
    clinic = createTestClinic({ register: false });
    const stored = {
      endpointId: newId("endpoint"),
      secret: "whsec_kept",
      url,
      registeredAt: "2026-11-01T00:00:00.000Z",
    };
    saveRegistration(clinic.db, stored);
    const insurer = fakeEndpoints([{ id: stored.endpointId, url, enabled: true }]);
    expect(await run(insurer.client)).toEqual(stored);
    expect(insurer.created).toEqual([]);
  });

  it("registers anew when the insurer no longer has the stored endpoint, and drops orphans at our URL", async () => {
    clinic = createTestClinic({ register: false });
    saveRegistration(clinic.db, {
      endpointId: newId("endpoint"),
      secret: "whsec_lost",
      url,
      registeredAt: "2026-11-01T00:00:00.000Z",
    });
    const orphan = { id: newId("endpoint"), url, enabled: true }; // its secret was never stored
    const elsewhere = { id: newId("endpoint"), url: "https://other.example/hook", enabled: true };
    const insurer = fakeEndpoints([orphan, elsewhere]);
    const registration = await run(insurer.client);
    expect(registration.secret).toBe(newSecret);
    expect(loadRegistration(clinic.db)?.secret).toBe(newSecret);
    expect(insurer.deleted).toEqual([orphan.id]);
  });

  it("moves to a new public URL and deletes the old endpoint", async () => {
    clinic = createTestClinic({ register: false });
    const old = {
      endpointId: newId("endpoint"),
      secret: "whsec_old",
      url: "http://127.0.0.1:3999/webhooks/insurer",
      registeredAt: "2026-11-01T00:00:00.000Z",
    };
    saveRegistration(clinic.db, old);
    const insurer = fakeEndpoints([{ id: old.endpointId, url: old.url, enabled: true }]);
    const registration = await run(insurer.client);
    expect(registration.url).toBe(url);
    expect(insurer.deleted).toEqual([old.endpointId]);
  });

  it("keeps retrying while the insurer is not reachable yet", async () => {
    clinic = createTestClinic({ register: false });
    const insurer = fakeEndpoints([], 3);
    const registration = await run(insurer.client);
    expect(insurer.calls).toBe(4);
    expect(registration.secret).toBe(newSecret);
  });

  it("gives up only when stopped, against an insurer that is not listening", async () => {
    clinic = createTestClinic({ register: false });
    const client = createInsurerClient({ baseUrl: "http://127.0.0.1:9", apiKey: "cw_test" });
    const stop = new AbortController();
    const registering = run(client, stop.signal);
    setTimeout(() => stop.abort(new Error("stopped")), 50);
    await expect(registering).rejects.toThrow("stopped");
    expect(loadRegistration(clinic.db)).toBeUndefined();
  });
});
