import { describe, expect, it } from "vitest";
import { DEFAULT_STAFF_API_KEY, parseEnv } from "./env.ts";

describe("insurer env", () => {
  it("runs on one machine with no settings", () => {
    expect(parseEnv({})).toEqual({
      INSURER_PORT: 4000,
      INSURER_HOST: "127.0.0.1",
      INSURER_DB_PATH: "./.data/insurer.sqlite",
      DATABASE_POOL_SIZE: 10,
      NATS_URL: ["nats://127.0.0.1:14222"],
      NATS_REPLICAS: 1,
      INSURER_STAFF_API_KEY: DEFAULT_STAFF_API_KEY,
      SEED_DEMO_CLINIC: false,
      DEMO_CLINIC_API_KEY: "cw_clinic_demo_dev_key_change_me",
      ADJUDICATION_SIMULATOR: false,
      SIMULATOR_CLINICS: "demo",
      SIMULATOR_TIME_SCALE: 86_400,
      DELIVERY_RETRY_SCHEDULE: [
        0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000,
        86_400_000,
      ],
      DELIVERY_RETRY_JITTER: 0.2,
      DELIVERY_STUCK_TIMEOUT_MS: 900_000,
      DELIVERY_SCHEDULER_INTERVAL_MS: 250,
      DELIVERY_SCHEDULER_BATCH: 500,
      DELIVERY_ACK_WAIT_MS: 60_000,
      DELIVERY_FAILING_AFTER_ATTEMPTS: 3,
      ENDPOINT_DISABLE_AFTER_MS: 5 * 86_400_000,
      ENDPOINT_SECRET_OVERLAP_MS: 86_400_000,
      ENDPOINT_ALLOW_HTTP: false,
      ENDPOINT_ALLOW_PRIVATE_NETWORKS: [],
      ENDPOINT_DEFAULT_MAX_CONCURRENCY: 64,
      EVENT_RETENTION_DAYS: 30,
      EVENT_FEED_MAX_WAITERS_PER_CLINIC: 10,
      IDEMPOTENCY_TTL_MS: 86_400_000,
      RATE_LIMIT_PER_SECOND: 50,
      RATE_LIMIT_BURST: 100,
      LOG_LEVEL: "info",
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
  });

  it('reads "false" as false (a plain boolean coercion would read it as true)', () => {
    expect(parseEnv({ ADJUDICATION_SIMULATOR: "false", SEED_DEMO_CLINIC: "true" })).toMatchObject({
      ADJUDICATION_SIMULATOR: false,
      SEED_DEMO_CLINIC: true,
    });
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ INSURER_PORT: "http" })).toThrow(
      /^Invalid insurer environment:[\s\S]*INSURER_PORT/,
    );
    expect(() => parseEnv({ SIMULATOR_TIME_SCALE: "0" })).toThrow(/SIMULATOR_TIME_SCALE/);
    expect(() => parseEnv({ DELIVERY_RETRY_SCHEDULE: "0s,5 minutes" })).toThrow(
      /'5 minutes' is not a delay[\s\S]*DELIVERY_RETRY_SCHEDULE/,
    );
    expect(() => parseEnv({ DELIVERY_RETRY_JITTER: "2" })).toThrow(/DELIVERY_RETRY_JITTER/);
    expect(() => parseEnv({ DELIVERY_FAILING_AFTER_ATTEMPTS: "0" })).toThrow(
      /DELIVERY_FAILING_AFTER_ATTEMPTS/,
    );
    expect(() => parseEnv({ ENDPOINT_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8,10.1/8" })).toThrow(
      /'10.1\/8' is not a CIDR range[\s\S]*ENDPOINT_ALLOW_PRIVATE_NETWORKS/,
    );
  });

  it("runs on PostgreSQL with DATABASE_URL, and refuses another URL without echoing it", () => {
    expect(
      parseEnv({ DATABASE_URL: "postgres://insurer@db.internal:5432/claimwire" }),
    ).toMatchObject({ DATABASE_URL: "postgres://insurer@db.internal:5432/claimwire" });
    const secret = "s3cr3t-password";
    const wrong = () =>
      parseEnv({ DATABASE_URL: `mysql://insurer:${secret}@db.internal/claimwire` });
    expect(wrong).toThrow(/postgres:\/\/[\s\S]*DATABASE_URL/);
    expect(wrong).not.toThrow(new RegExp(secret));
  });

  it("lets the simulator decide the demo clinic's claims, every clinic's, or listed clinics'", () => {
    expect(parseEnv({ SIMULATOR_CLINICS: "all" }).SIMULATOR_CLINICS).toBe("all");
    expect(parseEnv({ SIMULATOR_CLINICS: "cln_01A, cln_01B" }).SIMULATOR_CLINICS).toEqual([
      "cln_01A",
      "cln_01B",
    ]);
    expect(() => parseEnv({ SIMULATOR_CLINICS: "cln_01A,everyone" })).toThrow(
      /'everyone' is not a clinic id[\s\S]*SIMULATOR_CLINICS/,
    );
  });

  it("takes a compressed retry schedule for tests", () => {
    expect(
      parseEnv({ DELIVERY_RETRY_SCHEDULE: "0s,50ms,100ms", ENDPOINT_ALLOW_HTTP: "true" }),
    ).toMatchObject({ DELIVERY_RETRY_SCHEDULE: [0, 50, 100], ENDPOINT_ALLOW_HTTP: true });
  });
});
