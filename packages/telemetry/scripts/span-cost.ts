/**
 * What a span of ours costs, off (no OTEL_* set: the API's no-op) and on (recorded,
 * exported to nowhere), per span with its context carried to headers: the price of the
 * seven spans of a status change. Prints figures; asserts nothing.
 *
 *   pnpm --filter @claimwire/telemetry span-cost
 */
import { context, propagation, trace } from "@opentelemetry/api";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import { inSpan, SpanKind } from "../src/spans.ts";
import { startTracing } from "../src/start-tracing.ts";
import { contextFromHeaders, traceHeaders } from "../src/trace-context.ts";

const SPANS = 200_000;

function run(): number {
  const headers = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
  const started = process.cpuUsage();
  for (let i = 0; i < SPANS; i++) {
    inSpan(
      "process DELIVERIES",
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromHeaders((name) => headers[name as keyof typeof headers]),
        attributes: { "claimwire.event_id": "evt_01", "claimwire.attempt_number": 1 },
      },
      () => traceHeaders(),
    );
  }
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / SPANS; // ns per span
}

run(); // warm up
const off = run();
const discard: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};
const tracing = startTracing({ serviceName: "span-cost", exporter: discard });
run();
const on = run();
await tracing.shutdown();
trace.disable();
context.disable();
propagation.disable();
console.log(
  `CPU per span, ${SPANS.toLocaleString("en")} spans: off ${off.toFixed(0)} ns, on ${on.toFixed(0)} ns`,
);
