import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  type SpanOptions as OtelSpanOptions,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { tracingState } from "./tracing-state.ts";

export { type Attributes, type Context, type Span, SpanKind };

/**
 * Every span of ours comes from this one instrumentation scope. Taken once: a proxy that
 * finds the provider startTracing registers later, where getTracer per span allocated.
 */
const tracer = trace.getTracer("claimwire");

/** What `fn` gets while tracing is off: records nothing. */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export type SpanOptions = {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The span's parent; the active context when left out. */
  parent?: Context;
};

/**
 * Runs `fn` inside a new active span and ends the span when `fn` returns or its promise
 * settles. A throw marks the span as an error with `error.type` (the error's class name)
 * and is passed on: an error message may carry more than a trace should keep.
 *
 * @example
 * const result = await inSpan("process ATTEMPTS", { kind: SpanKind.CONSUMER }, () => record(report));
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T {
  if (!tracingState.on) return fn(NO_SPAN);
  const spanOptions: OtelSpanOptions = {};
  if (options.kind !== undefined) spanOptions.kind = options.kind;
  if (options.attributes) spanOptions.attributes = options.attributes;
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(name, spanOptions, parent, (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (err) {
      endFailed(span, err);
      throw err;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          span.end();
          return value;
        },
        (err: unknown) => {
          endFailed(span, err);
          throw err;
        },
      ) as T;
    }
    span.end();
    return result;
  });
}

function endFailed(span: Span, err: unknown): void {
  span.setAttribute("error.type", err instanceof Error ? err.name : typeof err);
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** The context active here (its span is the parent of spans started here). */
export function activeContext(): Context {
  return tracingState.on ? context.active() : ROOT_CONTEXT;
}

/** Runs `fn` with `ctx` active: for work handed over to code that runs it later, batched. */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return tracingState.on ? context.with(ctx, fn) : fn();
}

/** Adds what the work learned (an id it parsed, an outcome) to the active span, if any. */
export function annotateActiveSpan(attributes: Attributes): void {
  if (tracingState.on) trace.getActiveSpan()?.setAttributes(attributes);
}
