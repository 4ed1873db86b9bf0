import { describe, expect, it } from "vitest";
import { DEFAULT_STAFF_API_KEY, parseEnv } from "./env.ts";

describe("insurer env", () => {
  it("runs on one machine with no settings", () => {
    expect(parseEnv({})).toEqual({
      INSURER_PORT: 4000,
      INSURER_HOST: "127.0.0.1",
      INSURER_DB_PATH: "./.data/insurer.sqlite",
      NATS_URL: "nats://127.0.0.1:14222",
      INSURER_STAFF_API_KEY: DEFAULT_STAFF_API_KEY,
      SEED_DEMO_CLINIC: false,
      DEMO_CLINIC_API_KEY: "cw_clinic_demo_dev_key_change_me",
      ADJUDICATION_SIMULATOR: false,
      SIMULATOR_TIME_SCALE: 86_400,
      LOG_LEVEL: "info",
    });
  });

  it('reads "false" as false (a plain boolean coercion would read it as true)', () => {
    expect(parseEnv({ ADJUDICATION_SIMULATOR: "false", SEED_DEMO_CLINIC: "true" })).toMatchObject({
      ADJUDICATION_SIMULATOR: false,
      SEED_DEMO_CLINIC: true,
    });
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ INSURER_PORT: "http" })).toThrow(/INSURER_PORT/);
    expect(() => parseEnv({ SIMULATOR_TIME_SCALE: "0" })).toThrow(/SIMULATOR_TIME_SCALE/);
  });
});
