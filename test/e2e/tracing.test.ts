import {
  type CollectedSpan,
  type OtlpCollector,
  startOtlpCollector,
} from "@claimwire/telemetry/testing";
import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clinicClaim } from "../src/harness/clinic-api-client.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, STAFF_API_KEY, startSystem } from "../src/harness/system.ts";

// OTLP span kinds.
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

let collector: OtlpCollector;
let sys: RunningSystem;
beforeAll(async () => {
  // Every process exports to one in-memory OTLP receiver, as it would to a collector.
  collector = await startOtlpCollector();
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_BSP_SCHEDULE_DELAY: "100",
  };
  sys = await startSystem({
    watchClinicSecret: true,
    insurerEnv: { ...otel, LOG_LEVEL: "debug" },
    workerEnv: otel,
    clinicEnv: otel,
  });
});
afterAll(async () => {
  await sys?.stop();
  await collector?.close();
});

describe("tracing across the three processes (OTEL_* set)", () => {
  it("makes one status change one trace: API call → outbox → NATS → worker POST → clinic receiver → processor", async () => {
    const claim = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    await sys.staff.claims.decide.mutate({ claimId: claim.id, to: "in_review" });
    const message = await waitFor("the clinic to apply in_review", async () => {
      const detail = await clinicClaim(sys.clinicApi, claim.id);
      return detail?.status === "in_review" && detail.messages.find((m) => m.version === 2);
    });
    const eventId = message.webhookId;

    // Each process exports its spans in batches after they end: wait for every hop's
    // (the spans without the event's id end before one that has it, in the same process).
    const spans = await waitFor("every hop's span to be exported", async () => {
      const all = collector.spans();
      const names = new Set(
        all
          .filter(
            (s) =>
              s.attributes["claimwire.webhook_id"] === eventId ||
              s.attributes["claimwire.event_id"] === eventId,
          )
          .map((s) => s.name),
      );
      const hops = [
        "publish DELIVERIES",
        "process DELIVERIES",
        "POST /webhooks/insurer",
        "process inbox message",
        "process ATTEMPTS",
      ];
      return hops.every((name) => names.has(name)) && all;
    });

    const api = one(spans, (s) => s.name === "POST /trpc/claims.decide" && s.kind === SERVER);
    expect(api.service).toBe("insurer");
    const trace = spans.filter((s) => s.traceId === api.traceId);

    // One trace for the change: every span about its event is in it, from three processes.
    const aboutEvent = spans.filter(
      (s) =>
        s.attributes["claimwire.event_id"] === eventId ||
        s.attributes["claimwire.webhook_id"] === eventId,
    );
    expect(aboutEvent.length).toBeGreaterThanOrEqual(5);
    expect(new Set(aboutEvent.map((s) => s.traceId))).toEqual(new Set([api.traceId]));
    expect(new Set(trace.map((s) => s.service))).toEqual(
      new Set(["insurer", "delivery-worker", "clinic"]),
    );

    // The hops, each the child of the one before, in time order.
    const publish = one(trace, (s) => s.name === "publish DELIVERIES" && s.kind === PRODUCER);
    const consume = one(trace, (s) => s.name === "process DELIVERIES" && s.kind === CONSUMER);
    const post = one(trace, (s) => s.name === "POST" && s.kind === CLIENT);
    const receive = one(trace, (s) => s.name === "POST /webhooks/insurer" && s.kind === SERVER);
    const processed = trace.filter((s) => s.name === "process inbox message");
    const applied = one(processed, (s) => s.attributes["claimwire.inbox.outcome"] === "applied");
    const hops = [api, publish, consume, post, receive, applied];
    expect(hops.map((s) => s.service)).toEqual([
      "insurer",
      "insurer",
      "delivery-worker",
      "delivery-worker",
      "clinic",
      "clinic",
    ]);
    for (let i = 1; i < hops.length; i++) {
      const [parent, child] = [hops[i - 1] as CollectedSpan, hops[i] as CollectedSpan];
      expect(child.parentSpanId, `${child.name} is a child of ${parent.name}`).toBe(parent.spanId);
      expect(child.startNs >= parent.startNs, `${child.name} starts after ${parent.name}`).toBe(
        true,
      );
    }
    expect(post.attributes["http.response.status_code"]).toBe(204);
    expect(receive.attributes["http.response.status_code"]).toBe(204);

    // The worker's report is recorded in the same trace.
    const recorded = one(trace, (s) => s.name === "process ATTEMPTS" && s.kind === CONSUMER);
    expect(recorded.service).toBe("insurer");
    expect(recorded.parentSpanId).toBe(consume.spanId);

    // Log lines written inside the spans carry the trace id, in each process.
    const inTrace = (logs: string[], msg: string) =>
      logs.map(parseLine).filter((l) => l?.msg === msg && l.trace_id === api.traceId);
    expect(inTrace(sys.insurer.logs, "attempt recorded")).toHaveLength(1);
    expect(inTrace(sys.worker.logs, "attempt")).toHaveLength(1);
    expect(inTrace(sys.clinic.logs, "webhook stored")).toHaveLength(1);
    expect(inTrace(sys.clinic.logs, "applied claim event")).toHaveLength(1);
  });

  it("continues a claim submitted through the clinic's API at the insurer, and back to the clinic", async () => {
    const { claimId } = await sys.clinicApi.claims.submit.mutate(sampleClaim());
    const message = await waitFor("the clinic to process its claim.submitted webhook", async () => {
      const detail = await clinicClaim(sys.clinicApi, claimId);
      return detail?.messages.find((m) => m.version === 1 && m.state !== "pending");
    });
    const spans = await waitFor("the receiver's span to be exported", async () => {
      const all = collector.spans();
      return (
        all.some(
          (s) =>
            s.name === "process inbox message" &&
            s.attributes["claimwire.webhook_id"] === message.webhookId,
        ) && all
      );
    });
    const atClinic = one(spans, (s) => s.name === "POST /api/trpc/claims.submit");
    const atInsurer = one(
      spans,
      (s) => s.name === "POST /trpc/claims.submit" && s.traceId === atClinic.traceId,
    );
    expect([atClinic.service, atInsurer.service]).toEqual(["clinic", "insurer"]);
    expect(atInsurer.parentSpanId).toBe(atClinic.spanId);
    const receive = one(
      spans,
      (s) =>
        s.name === "POST /webhooks/insurer" &&
        s.attributes["claimwire.webhook_id"] === message.webhookId,
    );
    expect(receive.traceId).toBe(atClinic.traceId);
  });

  it("keeps every key, secret and signature out of every span and every log line", async () => {
    const secret = sys.clinicSecret();
    const forbidden = [secret, secret.replace(/^whsec_/, ""), STAFF_API_KEY, sys.clinicApiKey];
    const spans = collector.spans();
    expect(spans.length).toBeGreaterThan(10);
    const spanText = JSON.stringify(spans.map((s) => [s.name, s.attributes]));
    const logText = [...sys.insurer.logs, ...sys.worker.logs, ...sys.clinic.logs].join("\n");
    for (const value of forbidden) {
      expect(spanText).not.toContain(value);
      expect(logText).not.toContain(value);
    }
    // No signature (v1,<base64>) and no header names that carry one or a key.
    expect(spanText).not.toMatch(/v1,[A-Za-z0-9+/]{20,}/);
    expect(spanText).not.toMatch(/webhook-signature|authorization/i);
    expect(logText).not.toMatch(/v1,[A-Za-z0-9+/]{20,}/);
  });
});

function one(spans: CollectedSpan[], match: (s: CollectedSpan) => boolean): CollectedSpan {
  const found = spans.filter(match);
  expect(found, "exactly one such span").toHaveLength(1);
  return found[0] as CollectedSpan;
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
