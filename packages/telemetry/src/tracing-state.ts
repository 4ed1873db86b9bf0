/**
 * Whether this process started tracing (startTracing with an exporter). While it has not,
 * spans.ts and trace-context.ts return at once instead of going through the API's no-op
 * (a global lookup with a version check per call, about 2 µs a span): tracing off costs
 * nothing measurable per event.
 */
export const tracingState = { on: false };
