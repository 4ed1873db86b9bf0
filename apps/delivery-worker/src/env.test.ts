import { describe, expect, it } from "vitest";
import { loadEnv } from "./env.ts";

describe("loadEnv", () => {
  it("runs on one machine with no variables set, with no private network allowed", () => {
    const env = loadEnv({});
    expect(env.NATS_URL).toEqual(["nats://127.0.0.1:14222"]);
    expect(env.NATS_REPLICAS).toBe(1);
    expect(env.DELIVERY_TIMEOUT_MS).toBe(15_000);
    expect(env.DELIVERY_CONCURRENCY).toBe(256);
    expect(env.DELIVERY_STALL_AFTER_MS).toBe(30_000);
    expect(env.DELIVERY_ALLOW_PRIVATE_NETWORKS).toEqual([]);
    expect(env.WORKER_METRICS_PORT).toBe(0);
    expect(env.WORKER_ID).toMatch(/-\d+$/);
  });

  it("reads the servers of a cluster and its replicas", () => {
    const env = loadEnv({
      NATS_URL: "nats://10.0.0.1:4222, 10.0.0.2:4222,tls://nats-3.internal:4222",
      NATS_REPLICAS: "3",
    });
    expect(env.NATS_URL).toEqual([
      "nats://10.0.0.1:4222",
      "10.0.0.2:4222",
      "tls://nats-3.internal:4222",
    ]);
    expect(env.NATS_REPLICAS).toBe(3);
  });

  it("names the server entry and the replicas that are wrong", () => {
    expect(() => loadEnv({ NATS_URL: "nats://a:4222,http://b:80" })).toThrow(
      /NATS_URL "http:\/\/b:80" is not a server URL/,
    );
    expect(() => loadEnv({ NATS_URL: " , " })).toThrow(/NATS_URL lists no server/);
    expect(() => loadEnv({ NATS_REPLICAS: "7" })).toThrow(/NATS_REPLICAS/);
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
