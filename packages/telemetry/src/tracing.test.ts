import { Writable } from "node:stream";
import { context, propagation, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inSpan, SpanKind } from "./spans.ts";
import { startTracing, type Tracing } from "./start-tracing.ts";
import {
  contextFromHeaders,
  contextFromTraceparent,
  currentTraceparent,
  traceHeaders,
  traceLogFields,
} from "./trace-context.ts";

describe("with tracing off (no OTEL_* variables)", () => {
  it("registers nothing: no headers to send, no ids in log lines, spans still run their work", async () => {
    const tracing = startTracing({ serviceName: "insurer", env: {} });
    expect(tracing.enabled).toBe(false);
    const result = await inSpan("work", {}, async () => {
      expect(traceHeaders()).toEqual({});
      expect(currentTraceparent()).toBeNull();
      expect(traceLogFields()).toEqual({});
      return 42;
    });
    expect(result).toBe(42);
  });
});

describe("with an exporter", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ serviceName: "test-service", exporter });
  });
  afterAll(async () => {
    await tracing.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());

  it("nests spans through awaits and names the service", async () => {
    await inSpan("outer", { kind: SpanKind.SERVER }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await inSpan("inner", { attributes: { "claimwire.event_id": "evt_1" } }, async () => {});
    });
    const [inner, outer] = exporter.getFinishedSpans();
    expect(outer?.name).toBe("outer");
    expect(inner?.name).toBe("inner");
    expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(inner?.attributes["claimwire.event_id"]).toBe("evt_1");
    expect(outer?.resource.attributes["service.name"]).toBe("test-service");
  });

  it("carries the context through headers and a stored traceparent to another span", async () => {
    let sent: Record<string, string> = {};
    let stored: string | null = null;
    await inSpan("send", {}, () => {
      sent = traceHeaders();
      stored = currentTraceparent();
    });
    expect(sent.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(stored).toBe(sent.traceparent);

    inSpan("receive", { parent: contextFromHeaders((name) => sent[name]) }, () => {});
    inSpan("process", { parent: contextFromTraceparent(stored) }, () => {});
    const [send, receive, process] = exporter.getFinishedSpans();
    expect(receive?.spanContext().traceId).toBe(send?.spanContext().traceId);
    expect(receive?.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
    expect(process?.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
  });

  it("starts a trace of its own from a missing or malformed traceparent", () => {
    inSpan("a", { parent: contextFromTraceparent(null) }, () => {});
    inSpan("b", { parent: contextFromTraceparent("00-not-a-trace-01") }, () => {});
    const [a, b] = exporter.getFinishedSpans();
    expect(a?.parentSpanContext).toBeUndefined();
    expect(b?.parentSpanContext).toBeUndefined();
    expect(a?.spanContext().traceId).not.toBe(b?.spanContext().traceId);
  });

  it("marks a failed span by the error's class, never its message, and passes the error on", async () => {
    await expect(
      inSpan("fails", {}, async () => {
        throw new TypeError("secret whsec_c2VjcmV0 in a message");
      }),
    ).rejects.toThrow(TypeError);
    expect(() =>
      inSpan("fails at once", {}, () => {
        throw new RangeError("no");
      }),
    ).toThrow(RangeError);
    const [failed, failedAtOnce] = exporter.getFinishedSpans();
    expect(failed?.status.code).toBe(2);
    expect(failed?.attributes["error.type"]).toBe("TypeError");
    expect(JSON.stringify(failed?.attributes)).not.toContain("whsec_");
    expect(failed?.events).toEqual([]);
    expect(failedAtOnce?.attributes["error.type"]).toBe("RangeError");
  });

  it("puts the active span's trace and span ids on every pino line written inside it", async () => {
    const lines: string[] = [];
    const log = pino(
      { mixin: traceLogFields },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    log.info("outside");
    await inSpan("logged", {}, async () => {
      log.info("inside");
    });
    const [span] = exporter.getFinishedSpans();
    const [outside, inside] = lines.map((line) => JSON.parse(line));
    expect(outside.trace_id).toBeUndefined();
    expect(inside.trace_id).toBe(span?.spanContext().traceId);
    expect(inside.span_id).toBe(span?.spanContext().spanId);
  });
});
