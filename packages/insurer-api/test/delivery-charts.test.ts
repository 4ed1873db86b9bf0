// The console's charts read two procedures: an endpoint's attempts over time and their
// durations (`endpoints.deliveryStats`, a clinic its own), and staff's overview across
// every clinic (`ops.overview`). Real rows on the test's store, SQLite or PostgreSQL.

import { newId } from "@claimwire/ids";
import { recordAttempt } from "@claimwire/insurer-domain";
import type { DeliveryTask } from "@claimwire/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptReport, submitAndDispatch } from "../src/testing/delivery-fixtures.ts";
import {
  type Caller,
  expectTrpcError,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let h: TestInsurer;
let clinic: Caller;
let endpointId: string;
let task: DeliveryTask;

/** An attempt of the task's delivery that started `agoMs` ago, written as the recorder would. */
async function pastAttempt(
  agoMs: number,
  outcome: "delivered" | "failed",
  durationMs: number,
  retried = false,
) {
  const startedAt = new Date(Date.now() - agoMs).toISOString();
  const { attempts } = h.store.tables;
  await h.store.transaction((tx) =>
    tx.insert(attempts).values({
      id: newId("attempt"),
      deliveryId: task.deliveryId,
      attemptNumber: 1,
      startedAt,
      durationMs,
      outcome,
      statusCode: outcome === "delivered" ? 200 : 500,
      nextAttemptAt: retried ? new Date(Date.parse(startedAt) + 60_000).toISOString() : null,
    }),
  );
  return startedAt;
}

/** The bucket whose start is the given instant floored to `unitMs`. */
function bucketOf<T extends { start: string }>(buckets: T[], at: string, unitMs: number) {
  const start = new Date(Math.floor(Date.parse(at) / unitMs) * unitMs).toISOString();
  return buckets.find((b) => b.start === start);
}

const total = (buckets: { succeeded: number; retried: number; failed: number }[]) =>
  buckets.reduce(
    (sum, b) => ({
      succeeded: sum.succeeded + b.succeeded,
      retried: sum.retried + b.retried,
      failed: sum.failed + b.failed,
    }),
    { succeeded: 0, retried: 0, failed: 0 },
  );

beforeAll(async () => {
  h = await startTestInsurer();
  ({ caller: clinic } = await h.newClinic("Charted Clinic"));
  ({ id: endpointId } = await clinic.endpoints.create({
    url: "https://clinic.example/hooks",
    eventTypes: ["claim.submitted"],
  }));
  const [first] = await submitAndDispatch(h, clinic);
  if (!first) throw new Error("no delivery dispatched");
  task = first;
});
afterAll(async () => {
  await h?.stop();
});

describe("endpoints.deliveryStats", () => {
  it("has empty buckets for every hour and day before any attempt", async () => {
    const stats = await clinic.endpoints.deliveryStats({ endpointId });
    expect(stats.hourly).toHaveLength(48);
    expect(stats.daily).toHaveLength(30);
    expect(total(stats.hourly)).toEqual({ succeeded: 0, retried: 0, failed: 0 });
    expect(stats.latency.every((b) => b.attempts === 0)).toBe(true);
    // Oldest first, one hour apart, the last holding now.
    const starts = stats.hourly.map((b) => Date.parse(b.start));
    expect(starts[1]! - starts[0]!).toBe(HOUR);
    expect(Date.parse(stats.asOf) - starts[47]!).toBeLessThan(HOUR);
  });

  it("counts each attempt in its hour and day by outcome, and its duration", async () => {
    // A real failure the recorder schedules a retry after: "retried".
    await recordAttempt(
      h.store,
      attemptReport(task, { durationMs: 30 }),
      h.insurer.services.delivery,
    );
    const threeHoursAgo = await pastAttempt(3 * HOUR, "failed", 700);
    await pastAttempt(3 * HOUR + 60_000, "delivered", 120);
    const fiveDaysAgo = await pastAttempt(5 * DAY, "delivered", 12_000);
    await pastAttempt(5 * DAY, "failed", 2_600, true);
    await pastAttempt(40 * DAY, "failed", 700); // before the 30 days: in no chart

    const stats = await clinic.endpoints.deliveryStats({ endpointId });

    expect(total(stats.hourly)).toEqual({ succeeded: 1, retried: 1, failed: 1 });
    expect(bucketOf(stats.hourly, threeHoursAgo, HOUR)).toMatchObject({ failed: 1 });
    expect(total(stats.daily)).toEqual({ succeeded: 2, retried: 2, failed: 1 });
    expect(bucketOf(stats.daily, fiveDaysAgo, DAY)).toMatchObject({
      succeeded: 1,
      retried: 1,
      failed: 0,
    });
    const latency = Object.fromEntries(
      stats.latency.map((b) => [`${b.minMs}-${b.maxMs ?? ""}`, b.attempts]),
    );
    expect(latency).toMatchObject({
      "0-50": 1,
      "100-250": 1,
      "500-1000": 1,
      "2500-5000": 1,
      "10000-": 1,
    });
    expect(stats.latency.reduce((n, b) => n + b.attempts, 0)).toBe(5);
  });

  it("shows staff any endpoint and another clinic none", async () => {
    const stats = await h.staff.endpoints.deliveryStats({ endpointId });
    expect(total(stats.daily).succeeded).toBe(2);
    const other = await h.newClinic("Other Clinic");
    await expectTrpcError(other.caller.endpoints.deliveryStats({ endpointId }), "NOT_FOUND");
  });
});

describe("ops.overview", () => {
  it("shows staff the last hour's attempts, failing and disabled endpoints, and the oldest undelivered", async () => {
    const { id: disabledId } = await clinic.endpoints.create({
      url: "https://clinic.example/off",
      eventTypes: ["claim.submitted"],
    });
    await h.staff.endpoints.disable({ endpointId: disabledId });

    const overview = await h.staff.ops.overview();

    expect(overview.perMinute).toHaveLength(60);
    // The recorded failure is within the hour; the attempts 3 hours ago and older are not.
    expect(total(overview.perMinute)).toEqual({ succeeded: 0, retried: 1, failed: 0 });
    expect(overview.failingEndpoints.count).toBe(1);
    expect(overview.failingEndpoints.endpoints[0]).toMatchObject({
      id: endpointId,
      url: "https://clinic.example/hooks",
    });
    expect(overview.failingEndpoints.endpoints[0]?.failingSince).not.toBeNull();
    expect(overview.disabledEndpoints).toMatchObject({
      count: 1,
      endpoints: [{ id: disabledId, disabledReason: "manual" }],
    });
    expect(overview.oldestUndelivered).toMatchObject({ deliveryId: task.deliveryId, endpointId });
    expect(overview.oldestUndelivered?.ageMs).toBeGreaterThanOrEqual(0);
  });

  it("is refused to a clinic", async () => {
    await expectTrpcError(clinic.ops.overview(), "FORBIDDEN");
  });
});
