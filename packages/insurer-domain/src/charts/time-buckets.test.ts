import { describe, expect, it } from "vitest";
import {
  bucketKey,
  bucketKeyLength,
  bucketStarts,
  fillOutcomeBuckets,
  LATENCY_EDGES_MS,
  latencyBuckets,
} from "./time-buckets.ts";

const now = new Date("2026-12-03T18:37:19.123Z");

describe("time buckets", () => {
  it("ends with the bucket holding now, oldest first, one unit apart", () => {
    expect(bucketStarts(now, "hour", 3).map((d) => d.toISOString())).toEqual([
      "2026-12-03T16:00:00.000Z",
      "2026-12-03T17:00:00.000Z",
      "2026-12-03T18:00:00.000Z",
    ]);
    expect(bucketStarts(now, "minute", 2).map((d) => d.toISOString())).toEqual([
      "2026-12-03T18:36:00.000Z",
      "2026-12-03T18:37:00.000Z",
    ]);
  });

  it("counts days in UTC across a month's end", () => {
    const days = bucketStarts(new Date("2026-03-01T00:30:00.000Z"), "day", 30);
    expect(days).toHaveLength(30);
    expect(days[0]?.toISOString()).toBe("2026-01-31T00:00:00.000Z");
    expect(days[28]?.toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(days[29]?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
  });

  it("keys an instant by the prefix SQL's substr takes of its stored timestamp", () => {
    const stored = now.toISOString();
    expect(bucketKey(now, "minute")).toBe(stored.slice(0, bucketKeyLength("minute")));
    expect(bucketKey(now, "minute")).toBe("2026-12-03T18:37");
    expect(bucketKey(now, "hour")).toBe("2026-12-03T18");
    expect(bucketKey(now, "day")).toBe("2026-12-03");
  });

  it("fills buckets without rows with zeros and ignores rows outside the window", () => {
    const starts = bucketStarts(now, "hour", 3);
    const buckets = fillOutcomeBuckets(starts, "hour", [
      { key: "2026-12-03T17", succeeded: 4, retried: 2, failed: 1 },
      { key: "2026-12-03T12", succeeded: 9, retried: 9, failed: 9 },
    ]);
    expect(buckets).toEqual([
      { start: "2026-12-03T16:00:00.000Z", succeeded: 0, retried: 0, failed: 0 },
      { start: "2026-12-03T17:00:00.000Z", succeeded: 4, retried: 2, failed: 1 },
      { start: "2026-12-03T18:00:00.000Z", succeeded: 0, retried: 0, failed: 0 },
    ]);
  });

  it("makes one latency bucket per edge, the last one open-ended", () => {
    const buckets = latencyBuckets([3, 1]);
    expect(buckets).toHaveLength(LATENCY_EDGES_MS.length);
    expect(buckets[0]).toEqual({ minMs: 0, maxMs: 50, attempts: 3 });
    expect(buckets[1]).toEqual({ minMs: 50, maxMs: 100, attempts: 1 });
    expect(buckets.at(-1)).toEqual({ minMs: 10_000, maxMs: null, attempts: 0 });
  });
});
