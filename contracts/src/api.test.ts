import { describe, expect, it } from "vitest";
import {
  CreateEndpointInputSchema,
  CreateEndpointOutputSchema,
  ListDeliveriesInputSchema,
  RecoverEndpointInputSchema,
  UpdateEndpointInputSchema,
} from "./api.ts";
import { WEBHOOK_EVENT_EXAMPLES } from "./webhook-event-examples.ts";

const endpointId = WEBHOOK_EVENT_EXAMPLES["endpoint.disabled"].data.endpointId;
const endpoint = {
  id: endpointId,
  clinicId: WEBHOOK_EVENT_EXAMPLES["endpoint.disabled"].data.clinicId,
  url: "https://mis.clinic.example/hooks",
  eventTypes: ["claim.paid", "endpoint.disabled"],
  description: "",
  signatureScheme: "hmac-sha256",
  enabled: true,
  disabledReason: null,
  disabledAt: null,
  failingSince: null,
  createdAt: "2026-11-27T09:30:00.000Z",
};

describe("endpoint API schemas", () => {
  it("signs with HMAC unless ed25519 is asked for", () => {
    const input = { url: endpoint.url, eventTypes: ["claim.paid"] };
    expect(CreateEndpointInputSchema.parse(input).signatureScheme).toBe("hmac-sha256");
    expect(
      CreateEndpointInputSchema.parse({ ...input, signatureScheme: "ed25519" }).signatureScheme,
    ).toBe("ed25519");
    expect(CreateEndpointInputSchema.safeParse({ ...input, signatureScheme: "rsa" }).success).toBe(
      false,
    );
  });

  it("returns a whsec_ secret or a whpk_ public key, nothing else", () => {
    expect(CreateEndpointOutputSchema.safeParse({ ...endpoint, secret: "whsec_abc" }).success).toBe(
      true,
    );
    expect(
      CreateEndpointOutputSchema.safeParse({
        ...endpoint,
        signatureScheme: "ed25519",
        secret: "whpk_abc",
      }).success,
    ).toBe(true);
    // The signing key must never be returned.
    expect(CreateEndpointOutputSchema.safeParse({ ...endpoint, secret: "whsk_abc" }).success).toBe(
      false,
    );
  });

  it("needs something to change in an update, and a range that runs forwards to recover", () => {
    expect(UpdateEndpointInputSchema.safeParse({ endpointId }).success).toBe(false);
    expect(UpdateEndpointInputSchema.safeParse({ endpointId, description: "" }).success).toBe(true);
    const since = "2026-12-01T00:00:00.000Z";
    expect(RecoverEndpointInputSchema.safeParse({ endpointId, since }).success).toBe(true);
    expect(
      RecoverEndpointInputSchema.safeParse({ endpointId, since, until: "2026-11-30T00:00:00.000Z" })
        .success,
    ).toBe(false);
  });

  it("pages deliveries 20 at a time by default, at most 100", () => {
    expect(ListDeliveriesInputSchema.parse({ endpointId }).limit).toBe(20);
    expect(ListDeliveriesInputSchema.safeParse({ endpointId, limit: 101 }).success).toBe(false);
    expect(ListDeliveriesInputSchema.safeParse({ endpointId, status: "lost" }).success).toBe(false);
  });
});
