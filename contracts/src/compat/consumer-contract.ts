import { z } from "zod";
import type { ArtefactSet } from "./artefacts.ts";
import { checkCompatible } from "./breaking-changes.ts";
import { displayPath, type JsonSchema } from "./json-schema.ts";

/**
 * What one consumer of the insurer's contract (the clinic app, the SDK, an integrator)
 * reads, stated by that consumer in its own tests as zod schemas. Only the fields it
 * reads, as loosely or strictly as its code handles them: a consumer that switches over
 * every status lists the statuses it knows, one that only displays a string says string.
 * Objects should stay open (plain `z.object`), so fields it does not read never matter.
 */
export type ConsumerExpectations = {
  /** Who: `clinic`, `sdk`. Named in every failure. */
  consumer: string;
  /** The event types it receives (subscribes to, or accepts). */
  receives: readonly string[];
  /** What it reads from every event it receives. */
  everyEvent?: z.ZodType;
  /** What it reads from particular event types, beyond `everyEvent`. */
  events?: Readonly<Record<string, z.ZodType>>;
  /** What it reads from API responses, by procedure (`claims.submit`). */
  responses?: Readonly<Record<string, ResponseExpectation>>;
};

export type ResponseExpectation = {
  /** The generated message the procedure returns (`Claim`), or a list of it. */
  artefact: string;
  list?: boolean;
  reads: z.ZodType;
};

/** The consumer's expectation as JSON Schema: what its parse accepts (its input side). */
export function expectationJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/**
 * Check (b): the producer's generated schemas cannot produce a value this consumer would
 * reject — for each event type it receives and each response it reads, a structural
 * comparison (see checkCompatible). Returns one line per problem, naming the consumer,
 * the event type or procedure, and the field.
 *
 * @example
 * checkConsumerAgainstArtefacts(clinicExpectations, artefactSetFromFiles(files));
 * // → ["clinic ✗ claim.approved: data.approvedAmount — the consumer requires it; the producer does not send it"]
 */
export function checkConsumerAgainstArtefacts(
  expectations: ConsumerExpectations,
  artefacts: ArtefactSet,
): string[] {
  const { consumer } = expectations;
  const problems: string[] = [];
  for (const type of Object.keys(expectations.events ?? {})) {
    if (!expectations.receives.includes(type)) {
      problems.push(
        `${consumer} ✗ ${type}: an expectation is stated for it, but it is not among the event types the ${consumer} receives`,
      );
    }
  }
  for (const type of expectations.receives) {
    const producer = artefacts.events.get(type);
    if (!producer) {
      problems.push(
        `${consumer} ✗ ${type}: the ${consumer} receives this event type; the producer no longer defines it`,
      );
      continue;
    }
    const specific = expectations.events?.[type];
    for (const reads of [expectations.everyEvent, specific]) {
      if (!reads) continue;
      for (const { path, problem } of checkCompatible(
        producer.schema,
        expectationJsonSchema(reads),
      )) {
        problems.push(
          `${consumer} ✗ ${type}: ${displayPath(path).replace("(root)", "(event)")} — ${problem}`,
        );
      }
    }
  }
  for (const [procedure, expectation] of Object.entries(expectations.responses ?? {})) {
    const producer = artefacts.schemas.get(expectation.artefact);
    const label = `${procedure} response (${expectation.artefact}${expectation.list ? "[]" : ""})`;
    if (!producer) {
      problems.push(
        `${consumer} ✗ ${label}: the producer no longer defines '${expectation.artefact}'`,
      );
      continue;
    }
    const schema: JsonSchema = expectation.list
      ? { type: "array", items: producer.schema }
      : producer.schema;
    const reads = expectation.list ? z.array(expectation.reads) : expectation.reads;
    for (const { path, problem } of checkCompatible(schema, expectationJsonSchema(reads))) {
      problems.push(`${consumer} ✗ ${label}: ${displayPath(path)} — ${problem}`);
    }
  }
  return [...new Set(problems)];
}

/** A value seen on the wire (or a producer example), with where it came from. */
export type ObservedEvent = { source: string; event: unknown };
export type ObservedResponse = { procedure: string; source: string; value: unknown };

/**
 * Check (a): these concrete events (producer examples, or what the insurer actually
 * emitted) satisfy this consumer's expectations. Events of types it does not receive are
 * skipped. One line per zod issue, naming consumer, event type, source and field.
 */
export function checkEventsAgainstConsumer(
  expectations: ConsumerExpectations,
  events: readonly ObservedEvent[],
): string[] {
  const problems: string[] = [];
  for (const { source, event } of events) {
    const type = (event as { type?: unknown } | null)?.type;
    if (typeof type !== "string" || !expectations.receives.includes(type)) continue;
    for (const reads of [expectations.everyEvent, expectations.events?.[type]]) {
      if (!reads) continue;
      const parsed = reads.safeParse(event);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        problems.push(
          `${expectations.consumer} ✗ ${type} (${source}): ${issue.path.join(".") || "(event)"} — ${issue.message}`,
        );
      }
    }
  }
  return [...new Set(problems)];
}

/** Check (a) for API responses: each value satisfies what the consumer reads from it. */
export function checkResponsesAgainstConsumer(
  expectations: ConsumerExpectations,
  responses: readonly ObservedResponse[],
): string[] {
  const problems: string[] = [];
  for (const { procedure, source, value } of responses) {
    const expectation = expectations.responses?.[procedure];
    if (!expectation) continue;
    const reads = expectation.list ? z.array(expectation.reads) : expectation.reads;
    const parsed = reads.safeParse(value);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) {
      problems.push(
        `${expectations.consumer} ✗ ${procedure} response (${source}): ${issue.path.join(".") || "(root)"} — ${issue.message}`,
      );
    }
  }
  return [...new Set(problems)];
}

/**
 * A webhook body the insurer may start sending at any time without a new version
 * (docs/contracts.md, "What is not breaking"), as the raw JSON text a consumer receives.
 */
export type EvolutionProbe = { name: string; body: string };

/** A type no contract defines: what a consumer sees the day the insurer adds one. */
export const PROBE_EVENT_TYPE = "contract_probe.added_later";

/** The field added to every object of a known event (it is not in any schema). */
export const PROBE_FIELD = "addedLater";

/**
 * Check (c)'s inputs, from the producer's examples: an event of a type no contract
 * defines; one of a type named like an `Object.prototype` key with `__proto__` keys in it;
 * every example with a new field in each of its objects; and one example with
 * `__proto__`, `constructor` and `prototype` keys. A consumer must accept every one.
 *
 * @example
 * evolutionProbes(WEBHOOK_EVENT_EXAMPLES).map((p) => p.name);
 * // → ["a new event type", "a new event type named 'constructor', with __proto__ keys", "a new field in every object of claim.approved", …]
 */
export function evolutionProbes(examples: Readonly<Record<string, unknown>>): EvolutionProbe[] {
  const entries = Object.entries(examples);
  const timestamp =
    (entries[0]?.[1] as { timestamp?: unknown } | undefined)?.timestamp ??
    "2026-12-01T09:00:00.000Z";
  const probes: EvolutionProbe[] = [
    {
      name: "a new event type",
      body: JSON.stringify({
        type: PROBE_EVENT_TYPE,
        timestamp,
        data: { probeId: "prb_01", detail: { nested: [1, "two", null] } },
      }),
    },
    {
      // Written as text: JSON.parse makes "__proto__" an own key, as a sender's JSON would.
      name: "a new event type named 'constructor', with __proto__ keys",
      body: `{"__proto__":{"polluted":true},"type":"constructor","timestamp":${JSON.stringify(timestamp)},"data":{"__proto__":{"isAdmin":true},"prototype":{}}}`,
    },
  ];
  for (const [type, example] of entries) {
    probes.push({
      name: `a new field in every object of ${type}`,
      body: JSON.stringify(withFieldEverywhere(example)),
    });
  }
  const [type, example] = entries[0] ?? [];
  if (type && example) {
    const body = JSON.stringify(example).replace(
      /^\{/,
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
    );
    probes.push({
      name: `keys named __proto__, constructor and prototype in ${type}`,
      body: body.replace(/"data":\{/, '"data":{"__proto__":{"isAdmin":true},"prototype":1,'),
    });
  }
  return probes;
}

function withFieldEverywhere(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withFieldEverywhere);
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = withFieldEverywhere(item);
  copy[PROBE_FIELD] = { note: "a field added by a newer insurer", level: 1 };
  return copy;
}

/**
 * A consumer's real entry point for check (c): takes a webhook body as received and
 * returns once the consumer has accepted it (for a receiver: verified it, answered 2xx
 * and processed it without error); throws with the reason when it refuses it.
 */
export type ConsumerReceive = (body: string) => Promise<void> | void;

/** A consumer and its real entry point, for check (c). */
export type ConsumerUnderTest = { consumer: string; receive: ConsumerReceive };

/**
 * Check (c): the consumer accepts whatever the insurer may add without a new version — a
 * new event type, a new field — and nothing in such a body reaches `Object.prototype`.
 * One line per refused probe, naming the consumer, the probe and the consumer's reason.
 *
 * @example
 * await checkConsumerTolerance(sdkUnderTest, evolutionProbes(WEBHOOK_EVENT_EXAMPLES));
 * // → ["strict ✗ a new event type: refused — type: Invalid input"]
 */
export async function checkConsumerTolerance(
  { consumer, receive }: ConsumerUnderTest,
  probes: readonly EvolutionProbe[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const probe of probes) {
    try {
      await receive(probe.body);
    } catch (error) {
      problems.push(`${consumer} ✗ ${probe.name}: refused — ${reasonOf(error)}`);
    }
    const polluted = Object.keys(Object.prototype);
    if (polluted.length > 0) {
      for (const key of polluted) delete (Object.prototype as Record<string, unknown>)[key];
      problems.push(
        `${consumer} ✗ ${probe.name}: Object.prototype gained ${polluted.map((k) => `'${k}'`).join(", ")}`,
      );
    }
  }
  return problems;
}

/** One line: a zod error's issues by path, or the first line of any other error. */
function reasonOf(error: unknown): string {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues;
  if (Array.isArray(issues)) {
    return issues
      .map((issue) => `${issue.path.map(String).join(".") || "(body)"}: ${issue.message}`)
      .join("; ");
  }
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
