import { describe, expect, it } from "vitest";
import { readEnv } from "./env.ts";

describe("readEnv", () => {
  it("runs on one machine with no settings", () => {
    expect(readEnv({})).toEqual({
      port: 3000,
      host: "127.0.0.1",
      publicUrl: "http://127.0.0.1:3000",
      dbPath: "./.data/clinic.sqlite",
      insurerUrl: "http://127.0.0.1:4000",
      apiKey: "cw_clinic_demo_dev_key_change_me",
      gapWaitMs: 30_000,
      reconcileIntervalMs: 60_000,
      reconcileSettleMs: 30_000,
      logLevel: "info",
      shutdownTimeoutMs: 10_000,
    });
  });

  it("derives the public URL from the port unless it is given", () => {
    expect(readEnv({ CLINIC_PORT: "3100" }).publicUrl).toBe("http://127.0.0.1:3100");
    const env = readEnv({ CLINIC_PORT: "3100", CLINIC_PUBLIC_URL: "https://clinic.example/" });
    expect(env.publicUrl).toBe("https://clinic.example");
  });

  it("names every invalid variable", () => {
    const run = () => readEnv({ CLINIC_PORT: "http", INSURER_URL: "ftp://x", LOG_LEVEL: "loud" });
    expect(run).toThrow(/^Invalid clinic environment:/);
    expect(run).toThrow(/CLINIC_PORT[\s\S]*INSURER_URL[\s\S]*LOG_LEVEL/);
  });
});
