import type { OutcomeBucket } from "@claimwire/contracts";
import { describe, expect, it } from "vitest";
import {
  bucketLabel,
  busyBuckets,
  latencyLabel,
  latencySummary,
  outcomeSummary,
  outcomeTotals,
  STACK_ORDER,
  stackedColumns,
} from "./chart-data.ts";

const buckets: OutcomeBucket[] = [
  { start: "2026-12-03T16:00:00.000Z", succeeded: 0, retried: 0, failed: 0 },
  { start: "2026-12-03T17:00:00.000Z", succeeded: 4, retried: 2, failed: 1 },
  { start: "2026-12-03T18:00:00.000Z", succeeded: 1, retried: 0, failed: 3 },
];

describe("outcome charts", () => {
  it("sum each outcome and say so in a sentence", () => {
    expect(outcomeTotals(buckets)).toEqual({ succeeded: 5, retried: 2, failed: 4 });
    expect(outcomeSummary(buckets)).toBe(
      "11 attempts: 5 succeeded, 2 failed and retried, 4 failed without a retry.",
    );
    expect(outcomeSummary(buckets.slice(0, 1))).toBe("No attempts.");
  });

  it("give uPlot seconds on x and each stacked bar's top, the whole stack first", () => {
    expect(STACK_ORDER).toEqual(["failed", "retried", "succeeded"]);
    const [x, failedTop, retriedTop, succeededTop] = stackedColumns(buckets);
    expect(x[1]! - x[0]!).toBe(3600);
    expect(x[0]).toBe(Date.parse("2026-12-03T16:00:00.000Z") / 1000);
    expect(failedTop).toEqual([0, 7, 4]);
    expect(retriedTop).toEqual([0, 6, 1]);
    expect(succeededTop).toEqual([0, 4, 1]);
  });

  it("table only the buckets with attempts", () => {
    expect(busyBuckets(buckets).map((b) => b.start)).toEqual([
      "2026-12-03T17:00:00.000Z",
      "2026-12-03T18:00:00.000Z",
    ]);
  });

  it("label hours in local time and days as the UTC day they count", () => {
    // Europe/Berlin (the tests' zone) is UTC+1 in December.
    expect(bucketLabel("2026-12-03T17:00:00.000Z", "hour")).toMatch(/18:00/);
    expect(bucketLabel("2026-12-03T17:05:00.000Z", "minute")).toMatch(/18:05/);
    expect(bucketLabel("2026-12-03T00:00:00.000Z", "day")).toMatch(/\b3\b/);
    expect(bucketLabel("2026-12-03T00:00:00.000Z", "day")).not.toMatch(/\b2\b/);
  });
});

describe("the latency histogram", () => {
  it("names each bucket by its bounds, the last without an upper one", () => {
    expect(latencyLabel({ minMs: 0, maxMs: 50, attempts: 0 })).toBe("0–50 ms");
    expect(latencyLabel({ minMs: 500, maxMs: 1000, attempts: 0 })).toBe("500–1000 ms");
    expect(latencyLabel({ minMs: 1000, maxMs: 2500, attempts: 0 })).toBe("1 s–2.5 s");
    expect(latencyLabel({ minMs: 10_000, maxMs: null, attempts: 0 })).toBe("10 s or more");
  });

  it("says how many attempts there were and where most fell", () => {
    expect(
      latencySummary([
        { minMs: 0, maxMs: 50, attempts: 2 },
        { minMs: 50, maxMs: 100, attempts: 9 },
        { minMs: 100, maxMs: null, attempts: 3 },
      ]),
    ).toBe("14 attempts; most (9) took 50–100 ms.");
    expect(latencySummary([{ minMs: 0, maxMs: 50, attempts: 0 }])).toBe("No attempts.");
  });
});
