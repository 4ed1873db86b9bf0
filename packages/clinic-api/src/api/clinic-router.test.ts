import { claims, inbox } from "@claimwire/clinic-db";
import type { SubmitClaimInput } from "@claimwire/contracts";
import { TRPCClientError } from "@claimwire/sdk";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { ClinicInsurerApi } from "../insurer-api.ts";
import {
  claimLifecycle,
  createTestClinic,
  submittedClaim,
  type TestClinic,
  unusedInsurer,
} from "../testing/clinic-fixture.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

type TrpcAnswer = {
  result?: { data: unknown };
  error?: { message: string; data: { code: string; httpStatus: number; fieldErrors: unknown } };
};

/** A tRPC query over HTTP, as the web app sends it. */
async function query(path: string, input?: unknown): Promise<{ status: number } & TrpcAnswer> {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await clinic.app.request(`/api/trpc/${path}${search}`);
  return { status: response.status, ...((await response.json()) as TrpcAnswer) };
}
async function mutate(path: string, input?: unknown): Promise<{ status: number } & TrpcAnswer> {
  const response = await clinic.app.request(`/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input ?? null),
  });
  return { status: response.status, ...((await response.json()) as TrpcAnswer) };
}

const validInput: SubmitClaimInput = {
  clinicReference: "INV-2026-0099",
  patientRef: "pat_8f3k2m9x",
  policyNumber: "POL-123456",
  currency: "EUR",
  serviceLines: [{ code: "99213", serviceDate: "2026-11-27", quantity: 2, unitAmount: 9_250 }],
};

/** Stands in for the insurer's `claims.submit` (the real one runs in e2e) and records calls. */
function insurerAnswering(answer: (input: SubmitClaimInput) => Promise<unknown>) {
  const sent: SubmitClaimInput[] = [];
  const client = {
    ...unusedInsurer,
    claims: {
      submit: {
        mutate: async (input: SubmitClaimInput) => {
          sent.push(input);
          return (await answer(input)) as ReturnType<typeof submittedClaim>;
        },
      },
    },
  } satisfies ClinicInsurerApi;
  return { client, sent };
}

describe("claims.list", () => {
  it("lists claims with status, total and business days left until the decision", async () => {
    clinic = createTestClinic();
    const [v1, v2] = claimLifecycle();
    await clinic.deliver(v1);
    await clinic.deliver(v2);
    clinic.processor.processPending();

    const { result } = await query("claims.list");
    // The example's deadline is 2026-12-25 09:30; the test clock reads Mon 2026-11-30 09:00.
    expect(result?.data).toEqual([
      {
        id: v1.data.claimId,
        clinicReference: "INV-2026-0042",
        status: "in_review",
        version: 2,
        total: { amount: 18_500, currency: "EUR" },
        deadline: { dueAt: "2026-12-25T09:30:00.000Z", businessDaysLeft: 19 },
        updatedAt: v2.timestamp,
      },
    ]);
  });

  it("stops the clock once the insurer has decided", async () => {
    clinic = createTestClinic();
    const lifecycle = claimLifecycle();
    for (const event of lifecycle.slice(0, 3)) await clinic.deliver(event);
    clinic.processor.processPending();
    const { result } = await query("claims.list");
    expect(result?.data).toMatchObject([
      { status: "approved", deadline: { businessDaysLeft: null } },
    ]);
  });
});

describe("claims.byId", () => {
  it("gives the full timeline: decided, arrived, processed, and how many deliveries", async () => {
    clinic = createTestClinic();
    const [v1, v2] = claimLifecycle();
    await clinic.deliver(v1, { webhookId: "evt_v1" });
    clinic.clock.advance(5_000);
    await clinic.deliver(v2, { webhookId: "evt_v2" });
    // The sender never saw our 2xx and sent v2 twice more.
    clinic.clock.advance(1_000);
    await clinic.deliver(v2, { webhookId: "evt_v2" });
    await clinic.deliver(v2, { webhookId: "evt_v2" });
    clinic.clock.advance(1_000);
    clinic.processor.processPending();

    const { result } = await query("claims.byId", { claimId: v1.data.claimId });
    const claim = result?.data as {
      timeline: unknown[];
      messages: unknown[];
      notifications: unknown[];
      patientPath: string;
      deadline: unknown;
    };
    expect(claim.timeline).toEqual([
      {
        version: 1,
        status: "submitted",
        occurredAt: v1.timestamp,
        learnedFrom: "webhook",
        webhookId: "evt_v1",
        receivedAt: "2026-11-30T09:00:00.000Z",
        processedAt: "2026-11-30T09:00:07.000Z",
        deliveries: 1,
      },
      {
        version: 2,
        status: "in_review",
        occurredAt: v2.timestamp,
        learnedFrom: "webhook",
        webhookId: "evt_v2",
        receivedAt: "2026-11-30T09:00:05.000Z",
        processedAt: "2026-11-30T09:00:07.000Z",
        deliveries: 3,
      },
    ]);
    expect(claim.messages).toHaveLength(2);
    expect(claim.notifications).toMatchObject([
      { version: 1, channel: "log" },
      { version: 2, channel: "log" },
    ]);
    expect(claim.patientPath).toMatch(/^\/p\/[A-Za-z0-9_-]{32}$/);
  });

  it("answers 404 naming the claim it does not know", async () => {
    clinic = createTestClinic();
    const answer = await query("claims.byId", { claimId: "clm_nope" });
    expect(answer.status).toBe(404);
    expect(answer.error?.message).toBe("No claim with id 'clm_nope'");
  });
});

describe("claims.submit", () => {
  it("sends a valid claim to the insurer, stores it, and says which claim it became", async () => {
    const [v1] = claimLifecycle(undefined, validInput.clinicReference);
    const insurer = insurerAnswering(async () => submittedClaim(v1));
    clinic = createTestClinic({ client: insurer.client });

    const answer = await mutate("claims.submit", validInput);
    expect(answer.status).toBe(200);
    expect(answer.result?.data).toEqual({
      claimId: v1.data.claimId,
      clinicReference: validInput.clinicReference,
    });
    expect(insurer.sent).toEqual([validInput]);
    expect(
      clinic.db.select().from(claims).where(eq(claims.id, v1.data.claimId)).get(),
    ).toMatchObject({
      status: "submitted",
      patientRef: "pat_8f3k2m9x",
    });
  });

  it("refuses invalid input with one message per field, sends nothing and stores nothing", async () => {
    const insurer = insurerAnswering(async () => {
      throw new Error("must not be called");
    });
    clinic = createTestClinic({ client: insurer.client });
    const answer = await mutate("claims.submit", {
      ...validInput,
      patientRef: "Jane Doe",
      serviceLines: [{ ...validInput.serviceLines[0], code: "x" }],
    });
    expect(answer.status).toBe(400);
    expect(answer.error?.data.fieldErrors).toEqual({
      patientRef: "must be a pseudonymous token like 'pat_8f3k2m9x', not a name",
      "serviceLines.0.code": "must be a procedure code like '99213'",
    });
    expect(insurer.sent).toEqual([]);
    expect(clinic.db.select().from(claims).all()).toEqual([]);
  });

  it("refuses a body over 64 KB with 413 before parsing it, and sends nothing", async () => {
    const insurer = insurerAnswering(async () => {
      throw new Error("a refused body must not reach the insurer");
    });
    clinic = createTestClinic({ client: insurer.client });
    const answer = await mutate("claims.submit", { ...validInput, padding: "x".repeat(70_000) });
    expect(answer.status).toBe(413);
    expect(answer.error?.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(insurer.sent).toEqual([]);
  });

  it("puts the insurer's refusal beside the field it concerns", async () => {
    const insurer = insurerAnswering(async () => {
      throw new TRPCClientError(
        "clinicReference 'INV-2026-0099' is already used by another claim",
        {
          result: { error: { data: { code: "CONFLICT", httpStatus: 409 } } } as never,
        },
      );
    });
    clinic = createTestClinic({ client: insurer.client });
    const answer = await mutate("claims.submit", validInput);
    expect(answer.status).toBe(409);
    expect(answer.error?.data.fieldErrors).toEqual({
      clinicReference: "clinicReference 'INV-2026-0099' is already used by another claim",
    });
  });

  it("says so when the insurer cannot be reached", async () => {
    const insurer = insurerAnswering(async () => {
      throw new TRPCClientError("fetch failed");
    });
    clinic = createTestClinic({ client: insurer.client });
    const answer = await mutate("claims.submit", validInput);
    expect(answer.status).toBe(502);
    expect(answer.error?.message).toBe(
      "The insurer could not be reached. Please try again shortly.",
    );
  });
});

describe("patient.status", () => {
  async function patientPathOf(claimId: string): Promise<string> {
    const { result } = await query("claims.byId", { claimId });
    return (result?.data as { patientPath: string } | undefined)?.patientPath ?? "";
  }

  it("shows the patient their claim in plain words and nothing internal", async () => {
    clinic = createTestClinic();
    const [v1, v2, v3] = claimLifecycle();
    const other = claimLifecycle(undefined, "INV-OTHER-1");
    for (const event of [v1, v2, v3, other[0]]) await clinic.deliver(event);
    clinic.processor.processPending();

    const token = (await patientPathOf(v1.data.claimId)).slice("/p/".length);
    const { result } = await query("patient.status", { token });
    expect(result?.data).toEqual({
      clinicReference: "INV-2026-0042",
      status: "approved",
      headline: "Approved",
      explanation: "Your insurer approved this claim. Payment will follow.",
      updatedAt: v3.timestamp,
      decisionDue: null,
      updates: [
        { at: v1.timestamp, status: "submitted", headline: "Sent to your insurer" },
        { at: v2.timestamp, status: "in_review", headline: "Being reviewed" },
        { at: v3.timestamp, status: "approved", headline: "Approved" },
      ],
    });
    const text = JSON.stringify(result);
    for (const internal of [v1.data.claimId, "18500", "185", "pat_", "INV-OTHER-1", "evt_"]) {
      expect(text).not.toContain(internal);
    }
  });

  it("answers null for any unknown token, and 400 for one that cannot be a token", async () => {
    clinic = createTestClinic();
    const unknown = await query("patient.status", { token: "A".repeat(32) });
    expect(unknown.status).toBe(200);
    expect(unknown.result?.data).toBeNull();
    const malformed = await query("patient.status", { token: "../../etc" });
    expect(malformed.status).toBe(400);
  });

  it("gives each claim its own unguessable token", async () => {
    clinic = createTestClinic();
    const a = claimLifecycle();
    const b = claimLifecycle();
    await clinic.deliver(a[0]);
    await clinic.deliver(b[0]);
    clinic.processor.processPending();
    const [pathA, pathB] = [
      await patientPathOf(a[0].data.claimId),
      await patientPathOf(b[0].data.claimId),
    ];
    expect(pathA).not.toBe(pathB);
    expect(pathA).not.toContain(a[0].data.claimId);
  });
});

describe("inbox.quarantined and inbox.requeue", () => {
  it("lists a quarantined message with its error, and puts it back in line on request", async () => {
    clinic = createTestClinic({
      config: {
        publicUrl: "http://127.0.0.1:3000",
        gapWaitMs: 30_000,
        processingRetryDelaysMs: [],
      },
    });
    const [v1] = claimLifecycle();
    await clinic.deliver(v1, { webhookId: "evt_v1" });
    const body = clinic.db.select().from(inbox).get()?.body ?? "";
    clinic.db.update(inbox).set({ body: "{ not json" }).run();
    clinic.processor.processPending();

    const { result } = await query("inbox.quarantined");
    expect(result?.data).toMatchObject([
      { webhookId: "evt_v1", state: "quarantined", attempts: 1, claimId: v1.data.claimId },
    ]);
    expect((result?.data as { error: string }[] | undefined)?.[0]?.error).toMatch(/JSON/);

    clinic.db.update(inbox).set({ body }).run();
    expect((await mutate("inbox.requeue", { webhookId: "evt_v1" })).status).toBe(200);
    clinic.processor.processPending();
    expect((await query("inbox.quarantined")).result?.data).toEqual([]);
    expect((await mutate("inbox.requeue", { webhookId: "evt_v1" })).status).toBe(404);
  });
});

describe("inbox.recent", () => {
  it("lists the latest messages with their type and what became of each, an unknown type as ignored", async () => {
    clinic = createTestClinic();
    const [v1] = claimLifecycle();
    await clinic.deliver(v1, { webhookId: "evt_v1" });
    clinic.clock.advance(1_000);
    const reopened = '{"type":"claim.reopened","timestamp":"2026-11-30T09:01:00.000Z","data":{}}';
    expect((await clinic.deliverBody(reopened, { webhookId: "evt_reopened" })).status).toBe(204);
    clinic.processor.processPending();

    const { result } = await query("inbox.recent");
    expect(result?.data).toEqual([
      expect.objectContaining({
        webhookId: "evt_reopened",
        eventType: "claim.reopened",
        claimId: "",
        state: "ignored",
        error: null,
        note: expect.stringContaining("not one this clinic knows"),
      }),
      expect.objectContaining({
        webhookId: "evt_v1",
        eventType: "claim.submitted",
        claimId: v1.data.claimId,
        state: "applied",
      }),
    ]);
    // Nothing to fix: an ignored message is not a problem for operators.
    expect((await query("inbox.quarantined")).result?.data).toEqual([]);
    expect((await query("inbox.recent", { limit: 1 })).result?.data).toHaveLength(1);
    expect((await query("inbox.recent", { limit: 0 })).status).toBe(400);
  });
});

describe("reconciliation.status", () => {
  it("says it never ran before the first run", async () => {
    clinic = createTestClinic();
    const { result } = await query("reconciliation.status");
    expect(result?.data).toEqual({
      lastRunAt: null,
      lastRunFetched: 0,
      lastRunNew: 0,
      lastRunError: null,
      lastSuccessAt: null,
    });
  });
});

describe("live.changes", () => {
  it("streams a change to an open page when the processor applies a webhook", async () => {
    clinic = createTestClinic();
    const response = await clinic.app.request("/api/trpc/live.changes");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();

    const [v1] = claimLifecycle();
    let text = "";
    // The subscription is registered once the stream has started.
    text += decoder.decode((await reader.read()).value);
    await clinic.deliver(v1);
    clinic.processor.processPending();
    while (!text.includes(v1.data.claimId)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    await reader.cancel();
    expect(text).toContain(
      JSON.stringify({
        kind: "claim",
        claimId: v1.data.claimId,
        clinicReference: "INV-2026-0042",
        status: "submitted",
        version: 1,
      }),
    );
  });
});
