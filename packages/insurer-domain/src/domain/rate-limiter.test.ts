import { createTestStore, type TestStore } from "@claimwire/insurer-db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limiter.ts";

// The same limit in memory (SQLite: one process) and in the database (PostgreSQL).
describe.each(["sqlite", "postgres"] as const)("createRateLimiter on %s", (dialect) => {
  let test: TestStore;
  beforeAll(async () => {
    test = await createTestStore(dialect);
  });
  afterAll(() => test?.drop());

  it("allows the burst, then refuses until tokens refill", async () => {
    let now = 1_000_000;
    const limiter = createRateLimiter(test.store, { perSecond: 2, burst: 3, now: () => now });
    for (let i = 0; i < 3; i++) expect((await limiter.take("k")).ok).toBe(true);
    expect(await limiter.take("k")).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect((await limiter.take("other")).ok).toBe(true);
    now += 500;
    expect((await limiter.take("k")).ok).toBe(true);
    expect((await limiter.take("k")).ok).toBe(false);
  });

  it("rounds Retry-After up to whole seconds", async () => {
    const limiter = createRateLimiter(test.store, { perSecond: 0.25, burst: 1, now: () => 0 });
    expect((await limiter.take("k2")).ok).toBe(true);
    expect(await limiter.take("k2")).toEqual({ ok: false, retryAfterSeconds: 4 });
  });

  it("is off at 0 per second", async () => {
    const limiter = createRateLimiter(test.store, { perSecond: 0, burst: 1, now: () => 0 });
    for (let i = 0; i < 10; i++) expect((await limiter.take("k3")).ok).toBe(true);
  });

  it("holds for limiters sharing the store (several processes) only where they can share it", async () => {
    let now = 2_000_000;
    const one = createRateLimiter(test.store, { perSecond: 1, burst: 4, now: () => now });
    const two = createRateLimiter(test.store, { perSecond: 1, burst: 4, now: () => now });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? one : two).take("shared")),
    );
    const allowed = answers.filter((a) => a.ok).length;
    // PostgreSQL: one bucket for both; SQLite (one process per file): a bucket each.
    expect(allowed).toBe(dialect === "postgres" ? 4 : 8);
    now += 1_000;
    expect((await one.take("shared")).ok).toBe(true);
  });
});
