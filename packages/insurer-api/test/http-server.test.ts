import { waitFor } from "@claimwire/testing";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "../src/routers/root.ts";
import {
  checkOutboxAndStop,
  claimInput,
  STAFF_KEY,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;

beforeAll(async () => {
  h = await startTestInsurer({ start: true });
});
afterAll(() => checkOutboxAndStop(h));

function client(apiKey?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: h.url!,
        headers: () => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      }),
    ],
  });
}

describe("HTTP server", () => {
  it("answers /healthz", async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("serves the tRPC API to a real client, keyed by the bearer token", async () => {
    const staff = client(STAFF_KEY);
    const { clinic, apiKey } = await staff.clinics.create.mutate({ name: "HTTP Clinic" });
    const mis = client(apiKey);
    expect(await mis.me.query()).toEqual({ role: "clinic", clinicId: clinic.id });

    const claim = await mis.claims.submit.mutate(claimInput());
    expect(await mis.claims.byId.query({ claimId: claim.id })).toEqual(claim);

    const err = await client("cw_not_a_key")
      .me.query()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as TRPCClientError<AppRouter>).data?.httpStatus).toBe(401);
    expect((err as TRPCClientError<AppRouter>).data?.code).toBe("UNAUTHORIZED");
  });

  it("refuses a tRPC body near a megabyte before parsing it, and answers unknown paths with 404", async () => {
    const res = await fetch(`${h.baseUrl}/trpc/claims.submit`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${STAFF_KEY}` },
      body: JSON.stringify({ padding: "x".repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toBe("PAYLOAD_TOO_LARGE");
    const missing = await fetch(`${h.baseUrl}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "not found" });
  });

  it("runs the whole pipeline in-process: commit → deliveries → dispatched attempt", async () => {
    const { apiKey } = await client(STAFF_KEY).clinics.create.mutate({ name: "Pipeline Clinic" });
    const mis = client(apiKey);
    await mis.endpoints.create.mutate({
      url: "https://clinic.example/hooks",
      eventTypes: ["claim.submitted"],
    });
    const claim = await mis.claims.submit.mutate(claimInput());
    const { deliveries, events } = h.store.tables;
    const [event] = await h.store.db.select().from(events).where(eq(events.claimId, claim.id));
    if (!event) throw new Error(`no event for claim ${claim.id}`);
    await waitFor("the first delivery attempt", async () => {
      const [delivery] = await h.store.db
        .select()
        .from(deliveries)
        .where(eq(deliveries.eventId, event.id));
      return delivery?.attemptCount === 1;
    });
  });
});
