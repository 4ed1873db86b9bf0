import { OTLPTraceExporter as OtlpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { readTracingSettings } from "./tracing-settings.ts";
import { tracingState } from "./tracing-state.ts";

export type Tracing = {
  /** Whether spans are recorded and exported (false: the API stays a no-op). */
  enabled: boolean;
  /** Exports what is still buffered and stops; call it last in a drain. */
  shutdown(): Promise<void>;
};

export type StartTracingOptions = {
  /** service.name unless OTEL_SERVICE_NAME says otherwise. */
  serviceName: string;
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Tests: export every span at once to this exporter (an InMemorySpanExporter), whatever
   * the environment says.
   */
  exporter?: SpanExporter;
};

/**
 * Starts tracing for this process when the OTEL_* variables ask for it (tracing-settings.ts):
 * a tracer provider with the W3C trace-context propagator and an AsyncLocalStorage context
 * manager, exporting over OTLP/HTTP in batches (OTEL_BSP_*). When they do not, nothing is
 * registered and every span is the API's no-op, so a process that does not trace pays
 * nearly nothing for the spans in its code. Throws a TracingSettingsError naming the
 * variable when a setting is not supported.
 */
export function startTracing(options: StartTracingOptions): Tracing {
  const env = options.env ?? process.env;
  let processor: SimpleSpanProcessor | BatchSpanProcessor;
  let serviceName = options.serviceName;
  if (options.exporter) {
    processor = new SimpleSpanProcessor(options.exporter);
  } else {
    const settings = readTracingSettings(env, options.serviceName);
    if (!settings.enabled) return { enabled: false, shutdown: async () => {} };
    serviceName = settings.serviceName;
    const exporter =
      settings.protocol === "http/json" ? new OtlpJsonExporter() : new OtlpProtobufExporter();
    processor = new BatchSpanProcessor(exporter);
  }
  const provider = new NodeTracerProvider({
    resource: detectResources({ detectors: [envDetector] }).merge(
      resourceFromAttributes({ "service.name": serviceName }),
    ),
    spanProcessors: [processor],
  });
  provider.register();
  tracingState.on = true;
  return {
    enabled: true,
    shutdown: async () => {
      tracingState.on = false;
      await provider.shutdown();
    },
  };
}
