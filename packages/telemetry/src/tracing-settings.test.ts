import { describe, expect, it } from "vitest";
import { readTracingSettings, TracingSettingsError } from "./tracing-settings.ts";

const read = (env: Record<string, string>) => readTracingSettings(env, "insurer");

describe("readTracingSettings", () => {
  it("is off by default", () => {
    expect(read({})).toEqual({ enabled: false });
  });

  it("is on with an OTLP endpoint or OTEL_TRACES_EXPORTER=otlp, over OTLP/HTTP protobuf unless told json", () => {
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toEqual({
      enabled: true,
      serviceName: "insurer",
      protocol: "http/protobuf",
    });
    expect(read({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/v1/traces" }).enabled).toBe(
      true,
    );
    expect(
      read({ OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }),
    ).toEqual({ enabled: true, serviceName: "insurer", protocol: "http/json" });
    expect(
      read({
        OTEL_TRACES_EXPORTER: "otlp",
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
      }),
    ).toMatchObject({ protocol: "http/json" });
  });

  it("takes OTEL_SERVICE_NAME over the process's own name", () => {
    expect(read({ OTEL_TRACES_EXPORTER: "otlp", OTEL_SERVICE_NAME: "insurer-eu-1" })).toMatchObject(
      { serviceName: "insurer-eu-1" },
    );
  });

  it("stays off when disabled, or when the exporter is none, whatever the endpoint", () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(read({ ...endpoint, OTEL_SDK_DISABLED: "true" })).toEqual({ enabled: false });
    expect(read({ ...endpoint, OTEL_TRACES_EXPORTER: "none" })).toEqual({ enabled: false });
  });

  it("names the variable and the value it cannot use", () => {
    expect(() => read({ OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(
      new TracingSettingsError("OTEL_TRACES_EXPORTER=zipkin is not supported: use otlp or none"),
    );
    expect(() =>
      read({ OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }),
    ).toThrow("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported: use http/protobuf or http/json");
  });
});
