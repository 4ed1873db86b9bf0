export {
  activeContext,
  annotateActiveSpan,
  type Context,
  inSpan,
  type Span,
  SpanKind,
  type SpanOptions,
  withContext,
} from "./spans.ts";
export { type StartTracingOptions, startTracing, type Tracing } from "./start-tracing.ts";
export {
  contextFromHeaders,
  contextFromTraceparent,
  currentTraceparent,
  TRACE_HEADERS,
  traceHeaders,
  traceLogFields,
} from "./trace-context.ts";
export {
  readTracingSettings,
  type TracingSettings,
  TracingSettingsError,
} from "./tracing-settings.ts";
