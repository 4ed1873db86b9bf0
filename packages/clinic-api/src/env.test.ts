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
      smtp: null,
      patientBaseUrl: "http://127.0.0.1:3000",
      defaultLanguage: "en",
    });
  });

  it("turns e-mail on with CLINIC_SMTP_HOST and a sender, with the TLS mode's usual port", () => {
    const env = readEnv({
      CLINIC_SMTP_HOST: "smtp.example.org",
      CLINIC_SMTP_FROM: "Clinic <clinic@example.org>",
      CLINIC_SMTP_USER: "clinic",
      CLINIC_SMTP_PASSWORD: "hunter2-secret",
      CLINIC_PATIENT_BASE_URL: "https://patients.example.org/",
      CLINIC_DEFAULT_LANGUAGE: "ru",
    });
    expect(env.smtp).toEqual({
      host: "smtp.example.org",
      port: 587,
      tls: "starttls",
      auth: { user: "clinic", password: "hunter2-secret" },
      from: "Clinic <clinic@example.org>",
      timeoutMs: 30_000,
    });
    expect(env.patientBaseUrl).toBe("https://patients.example.org");
    expect(env.defaultLanguage).toBe("ru");
    const implicit = readEnv({
      CLINIC_SMTP_HOST: "smtp.example.org",
      CLINIC_SMTP_FROM: "clinic@example.org",
      CLINIC_SMTP_TLS: "implicit",
    });
    expect(implicit.smtp).toMatchObject({ port: 465, tls: "implicit", auth: null });
  });

  it("names each bad e-mail setting, and never prints the password", () => {
    const run = () =>
      readEnv({
        CLINIC_SMTP_HOST: "smtp.example.org",
        CLINIC_SMTP_PORT: "0",
        CLINIC_SMTP_TLS: "sometimes",
        CLINIC_SMTP_PASSWORD: "hunter2-secret",
        CLINIC_DEFAULT_LANGUAGE: "de",
      });
    expect(run).toThrow(/CLINIC_SMTP_PORT/);
    expect(run).toThrow(/CLINIC_SMTP_TLS/);
    expect(run).toThrow(/CLINIC_DEFAULT_LANGUAGE/);
    let message = "";
    try {
      run();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain("hunter2-secret");

    const incomplete = () =>
      readEnv({ CLINIC_SMTP_HOST: "smtp.example.org", CLINIC_SMTP_PASSWORD: "hunter2-secret" });
    expect(incomplete).toThrow(/CLINIC_SMTP_FROM[\s\S]*required when CLINIC_SMTP_HOST is set/);
    expect(incomplete).toThrow(/CLINIC_SMTP_USER[\s\S]*required when CLINIC_SMTP_PASSWORD is set/);
    expect(() => readEnv({ CLINIC_SMTP_HOST: "h", CLINIC_SMTP_FROM: "not an address" })).toThrow(
      /must be an address[\s\S]*CLINIC_SMTP_FROM/,
    );
    expect(() => readEnv({ CLINIC_SMTP_USER: "clinic" })).toThrow(
      /CLINIC_SMTP_USER[\s\S]*CLINIC_SMTP_HOST is not/,
    );
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
