export { type CollectedSpan, type OtlpCollector, startOtlpCollector } from "./otlp-collector.ts";
