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
