import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

export { type Attributes, type Context, type Span, SpanKind };

/** Every span of ours comes from this one instrumentation scope. */
const TRACER_NAME = "claimwire";

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
  const parent = options.parent ?? context.active();
  const spanOptions = {
    ...(options.kind === undefined ? {} : { kind: options.kind }),
    ...(options.attributes ? { attributes: options.attributes } : {}),
  };
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, spanOptions, parent, (span) => {
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
  return context.active();
}

/** Runs `fn` with `ctx` active: for work handed over to code that runs it later, batched. */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/** Adds what the work learned (an id it parsed, an outcome) to the active span, if any. */
export function annotateActiveSpan(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}
