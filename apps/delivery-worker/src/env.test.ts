import { describe, expect, it } from "vitest";
import { loadEnv } from "./env.ts";

describe("loadEnv", () => {
  it("runs on one machine with no variables set", () => {
    const env = loadEnv({});
    expect(env.NATS_URL).toBe("nats://127.0.0.1:14222");
    expect(env.DELIVERY_TIMEOUT_MS).toBe(15_000);
    expect(env.DELIVERY_CONCURRENCY).toBe(64);
    expect(env.DELIVERY_RETRY_DELAYS_MS).toEqual([5_000, 300_000, 1_800_000, 7_200_000]);
    expect(env.WORKER_ID).toMatch(/-\d+$/);
  });

  it("reads a comma-separated retry schedule", () => {
    expect(loadEnv({ DELIVERY_RETRY_DELAYS_MS: "50, 100,200" }).DELIVERY_RETRY_DELAYS_MS).toEqual([
      50, 100, 200,
    ]);
  });

  it("rejects a schedule with something that is not a number", () => {
    expect(() => loadEnv({ DELIVERY_RETRY_DELAYS_MS: "50,soon" })).toThrow(
      /DELIVERY_RETRY_DELAYS_MS/,
    );
  });
});
