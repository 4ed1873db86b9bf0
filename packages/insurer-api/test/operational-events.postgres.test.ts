import { type WebhookEvent, WebhookEventSchema } from "@claimwire/contracts";
import { recordAttempt } from "@claimwire/insurer-domain";
import type { AttemptReport } from "@claimwire/queue";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptReport, submitAndDispatch } from "../src/testing/delivery-fixtures.ts";
import { startTestInsurer, type TestClinic, type TestInsurer } from "../src/testing/index.ts";

// Two insurer processes on one PostgreSQL database record attempt reports at the same
// time: each operational event is raised once all the same, because the state change
// that raises it and the event commit in one SERIALIZABLE transaction (a transaction that
// loses the race runs again and sees the other's change). PostgreSQL only.

let a: TestInsurer;
let b: TestInsurer;
let clinic: TestClinic;
let failingEndpointId: string;

const env = { DELIVERY_RETRY_SCHEDULE: "0s,5s,5m,30m" };

beforeAll(async () => {
  a = await startTestInsurer({ env, retryRandom: () => 0.5 });
  b = await startTestInsurer({ env, retryRandom: () => 0.5, joining: a });
  clinic = await a.newClinic();
  const failing = await clinic.caller.endpoints.create({
    url: "https://clinic.example/hooks",
    eventTypes: ["claim.submitted"],
  });
  failingEndpointId = failing.id;
  await clinic.caller.endpoints.create({
    url: "https://clinic.example/ops",
    eventTypes: ["delivery.*", "endpoint.*"],
  });
});

afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

const recordAt = (h: TestInsurer, report: AttemptReport) =>
  recordAttempt(h.store, report, h.insurer.services.delivery);

const delivered = (report: AttemptReport): AttemptReport => ({
  ...report,
  outcome: "delivered",
  statusCode: 204,
  errorClass: null,
  error: null,
});

async function raised(type: WebhookEvent["type"]) {
  const { events } = a.store.tables;
  const rows = await a.store.db
    .select()
    .from(events)
    .where(and(eq(events.clinicId, clinic.clinicId), eq(events.type, type)));
  return rows.map((row) => WebhookEventSchema.parse(row.payload));
}

async function newTask() {
  const [task] = await submitAndDispatch(a, clinic.caller);
  if (task?.endpointId !== failingEndpointId)
    throw new Error("expected the failing endpoint's task");
  return task;
}

describe("operational events with two insurer processes on one PostgreSQL", () => {
  it("raise delivery.failing once when two processes record the failures that cross the threshold at once", async () => {
    const rounds = 4;
    for (let round = 0; round < rounds; round++) {
      const task = await newTask();
      await recordAt(a, attemptReport(task, { attemptNumber: 1 }));
      await recordAt(a, attemptReport(task, { attemptNumber: 2 }));
      // Attempts 3 and 4 reported to both processes at once: one of them is the third failure.
      await Promise.all([
        recordAt(a, attemptReport(task, { attemptNumber: 3 })),
        recordAt(b, attemptReport(task, { attemptNumber: 4 })),
      ]);
    }
    const failing = await raised("delivery.failing");
    expect(failing).toHaveLength(rounds);
    expect(failing.map((e) => e.type === "delivery.failing" && e.data.failedAttempts)).toEqual(
      Array(rounds).fill(3),
    );
  });

  it("raise endpoint.recovered once when two processes record the successes that end a failing run at once", async () => {
    const before = (await raised("endpoint.recovered")).length;
    const rounds = 4;
    for (let round = 0; round < rounds; round++) {
      const first = await newTask();
      const second = await newTask();
      // A failing run of three failed attempts (the threshold), then two successes at once.
      for (const attemptNumber of [1, 2, 3]) {
        await recordAt(a, attemptReport(first, { attemptNumber }));
      }
      await Promise.all([
        recordAt(a, delivered(attemptReport(first, { attemptNumber: 4 }))),
        recordAt(b, delivered(attemptReport(second, { attemptNumber: 1 }))),
      ]);
    }
    expect((await raised("endpoint.recovered")).length - before).toBe(rounds);
  });
});
