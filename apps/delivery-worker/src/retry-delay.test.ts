import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_DELAYS_MS, retryDelayMs } from "./retry-delay.ts";

describe("retryDelayMs", () => {
  it("waits the n-th delay after the n-th attempt", () => {
    expect(retryDelayMs(1, DEFAULT_RETRY_DELAYS_MS)).toBe(5_000);
    expect(retryDelayMs(2, DEFAULT_RETRY_DELAYS_MS)).toBe(300_000);
    expect(retryDelayMs(4, DEFAULT_RETRY_DELAYS_MS)).toBe(7_200_000);
  });

  it("keeps waiting the last delay past the end of the list", () => {
    expect(retryDelayMs(5, DEFAULT_RETRY_DELAYS_MS)).toBe(7_200_000);
    expect(retryDelayMs(500, [50, 60])).toBe(60);
  });

  it("treats a nonsensical attempt number as the first attempt", () => {
    expect(retryDelayMs(0, [50, 60])).toBe(50);
  });

  it("refuses an empty schedule", () => {
    expect(() => retryDelayMs(1, [])).toThrow(RangeError);
  });
});
