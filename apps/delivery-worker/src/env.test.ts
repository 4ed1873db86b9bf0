import { describe, expect, it } from "vitest";
import { loadEnv } from "./env.ts";

describe("loadEnv", () => {
  it("runs on one machine with no variables set, with no private network allowed", () => {
    const env = loadEnv({});
    expect(env.NATS_URL).toBe("nats://127.0.0.1:14222");
    expect(env.DELIVERY_TIMEOUT_MS).toBe(15_000);
    expect(env.DELIVERY_CONCURRENCY).toBe(256);
    expect(env.DELIVERY_STALL_AFTER_MS).toBe(30_000);
    expect(env.DELIVERY_ALLOW_PRIVATE_NETWORKS).toEqual([]);
    expect(env.WORKER_METRICS_PORT).toBe(0);
    expect(env.WORKER_ID).toMatch(/-\d+$/);
  });

  it("reads a comma-separated allow-list", () => {
    const env = loadEnv({ DELIVERY_ALLOW_PRIVATE_NETWORKS: " 127.0.0.0/8, ::1/128 ," });
    expect(env.DELIVERY_ALLOW_PRIVATE_NETWORKS).toEqual(["127.0.0.0/8", "::1/128"]);
  });

  it("rejects an allow-list entry that is not a CIDR, naming the variable and the entry", () => {
    expect(() => loadEnv({ DELIVERY_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8,localhost" })).toThrow(
      /'localhost'[\s\S]*DELIVERY_ALLOW_PRIVATE_NETWORKS/,
    );
  });

  it("refuses a timeout that would outlast the consumer's ack_wait", () => {
    expect(() => loadEnv({ DELIVERY_TIMEOUT_MS: "60000" })).toThrow(/DELIVERY_TIMEOUT_MS/);
  });

  it("measures the timeout against a shortened ack wait, as a fault-injection run sets it", () => {
    const env = loadEnv({ DELIVERY_ACK_WAIT_MS: "4000", DELIVERY_TIMEOUT_MS: "1000" });
    expect(env.DELIVERY_ACK_WAIT_MS).toBe(4_000);
    expect(() => loadEnv({ DELIVERY_ACK_WAIT_MS: "4000", DELIVERY_TIMEOUT_MS: "3500" })).toThrow(
      /DELIVERY_TIMEOUT_MS must not exceed 3000 ms/,
    );
  });

  it("watches the delivery consumer for a stall unless told not to", () => {
    expect(loadEnv({ DELIVERY_STALL_AFTER_MS: "0" }).DELIVERY_STALL_AFTER_MS).toBe(0);
    expect(() => loadEnv({ DELIVERY_STALL_AFTER_MS: "soon" })).toThrow(
      /^Invalid delivery-worker environment:[\s\S]*DELIVERY_STALL_AFTER_MS/,
    );
  });
});
