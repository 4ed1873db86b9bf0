import {
  type Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
} from "@opentelemetry/api";
import { tracingState } from "./tracing-state.ts";

/** The W3C trace-context headers this system carries between processes. */
export const TRACE_HEADERS = ["traceparent", "tracestate"] as const;

/**
 * The `traceparent` (and `tracestate`, when set) of `ctx`, as headers to put on an HTTP
 * request or a NATS message. Empty when tracing is off or no span is active, so nothing is
 * added to what is sent.
 *
 * @example
 * js.publish(subject, body, { headers: toNatsHeaders(traceHeaders()) });
 */
export function traceHeaders(ctx?: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (!tracingState.on) return carrier;
  propagation.inject(ctx ?? context.active(), carrier);
  return carrier;
}

/** The `traceparent` of `ctx`, to keep in a row that later work continues from. */
export function currentTraceparent(ctx?: Context): string | null {
  return traceHeaders(ctx).traceparent ?? null;
}

/**
 * The context that headers (or a stored `traceparent`) carry: the parent for the span of
 * the work they lead to. A missing or malformed value gives a context with no parent, so
 * the work starts a trace of its own.
 */
export function contextFromHeaders(get: (name: string) => string | null | undefined): Context {
  if (!tracingState.on) return ROOT_CONTEXT;
  return propagation.extract(
    ROOT_CONTEXT,
    {},
    { get: (_carrier, key) => get(key) ?? undefined, keys: () => [...TRACE_HEADERS] },
  );
}

/** contextFromHeaders for one stored `traceparent` (null: no parent). */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  return contextFromHeaders((name) => (name === "traceparent" ? traceparent : undefined));
}

/**
 * Fields for pino's `mixin`: every log line written while a span is active carries its
 * trace and span ids, so a log line leads to its trace and back.
 *
 * @example
 * const log = pino({ mixin: traceLogFields });
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  if (!tracingState.on) return {};
  const spanContext = trace.getSpan(context.active())?.spanContext();
  // Tracing off: no span, or the no-op span's all-zero ids.
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
