/**
 * Whether a process exports traces, read from the standard OpenTelemetry variables.
 * Off unless asked for: OTEL_TRACES_EXPORTER=otlp, or an OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) with no
 * OTEL_TRACES_EXPORTER. OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it off.
 * The exporter itself reads the endpoint, headers and timeout from the same variables.
 */
export type TracingSettings =
  | { enabled: false }
  | { enabled: true; serviceName: string; protocol: OtlpProtocol };

export type OtlpProtocol = "http/protobuf" | "http/json";

const PROTOCOLS: readonly string[] = ["http/protobuf", "http/json"] satisfies OtlpProtocol[];

export class TracingSettingsError extends Error {
  override name = "TracingSettingsError";
}

export function readTracingSettings(
  env: Readonly<Record<string, string | undefined>>,
  defaultServiceName: string,
): TracingSettings {
  const value = (name: string) => {
    const text = env[name]?.trim();
    return text ? text : undefined;
  };
  if (value("OTEL_SDK_DISABLED")?.toLowerCase() === "true") return { enabled: false };

  const exporters = value("OTEL_TRACES_EXPORTER")
    ?.split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unsupported = exporters?.filter((name) => name !== "otlp" && name !== "none");
  if (unsupported && unsupported.length > 0) {
    throw new TracingSettingsError(
      `OTEL_TRACES_EXPORTER=${unsupported.join(",")} is not supported: use otlp or none`,
    );
  }
  const wanted =
    exporters === undefined
      ? Boolean(value("OTEL_EXPORTER_OTLP_ENDPOINT") ?? value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
      : exporters.includes("otlp");
  if (!wanted) return { enabled: false };

  const protocolVariable = value("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
    ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
    : "OTEL_EXPORTER_OTLP_PROTOCOL";
  const protocol = value(protocolVariable) ?? "http/protobuf";
  if (!PROTOCOLS.includes(protocol)) {
    throw new TracingSettingsError(
      `${protocolVariable}=${protocol} is not supported: use ${PROTOCOLS.join(" or ")}`,
    );
  }
  return {
    enabled: true,
    serviceName: value("OTEL_SERVICE_NAME") ?? defaultServiceName,
    protocol: protocol as OtlpProtocol,
  };
}
