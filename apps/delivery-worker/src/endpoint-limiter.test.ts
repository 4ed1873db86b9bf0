import { describe, expect, it } from "vitest";
import { createEndpointLimiter, deferDelayMs } from "./endpoint-limiter.ts";

describe("createEndpointLimiter", () => {
  it("hands out at most maxConcurrency slots per endpoint, each endpoint on its own", () => {
    const limiter = createEndpointLimiter();
    const first = limiter.tryAcquire("ep_slow", 2);
    const second = limiter.tryAcquire("ep_slow", 2);
    expect(first && second).toBeTruthy();
    expect(limiter.tryAcquire("ep_slow", 2)).toBeNull();
    expect(limiter.tryAcquire("ep_fast", 2)).not.toBeNull();

    first?.();
    first?.(); // releasing twice frees one slot, not two
    expect(limiter.inFlight("ep_slow")).toBe(1);
    expect(limiter.tryAcquire("ep_slow", 2)).not.toBeNull();
    expect(limiter.tryAcquire("ep_slow", 2)).toBeNull();
  });

  it("knows an endpoint is full from the cap it was last acquired with", () => {
    const limiter = createEndpointLimiter();
    expect(limiter.isFull("ep_new")).toBe(false);
    const release = limiter.tryAcquire("ep_one", 1);
    expect(limiter.isFull("ep_one")).toBe(true);
    release?.();
    expect(limiter.isFull("ep_one")).toBe(false);
  });
});

describe("deferDelayMs", () => {
  it("stays within 200–500 ms", () => {
    expect(deferDelayMs(() => 0)).toBe(200);
    expect(deferDelayMs(() => 0.999_999)).toBe(499);
  });
});
