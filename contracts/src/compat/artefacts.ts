import {
  type ChangeRule,
  type Direction,
  diffSchemas,
  type SchemaChange,
} from "./breaking-changes.ts";
import { nextEventTypeVersion } from "./event-version.ts";
import type { JsonSchema, JsonSchemaObject } from "./json-schema.ts";

/**
 * The generated contract artefacts, read back from their JSON files (contracts/generated,
 * contracts/baseline): one JSON Schema per webhook event type and one per API message.
 * Each file says what it is in its `x-claimwire` keyword, so these checks need nothing
 * but the files.
 */
export type ArtefactMeta =
  | { kind: "event"; io: "output"; eventType: string; family: string; version: number }
  | { kind: "schema"; io: Direction; name: string };

export type Artefact = { file: string; meta: ArtefactMeta; schema: JsonSchemaObject };

export type ArtefactSet = {
  /** By event type: `claim.approved`. */
  events: ReadonlyMap<string, Artefact>;
  /** By message name: `Claim`, `SubmitClaimInput`. */
  schemas: ReadonlyMap<string, Artefact>;
};

/** Parses the artefact files (path relative to the artefact folder → file text). */
export function artefactSetFromFiles(files: ReadonlyMap<string, string>): ArtefactSet {
  const events = new Map<string, Artefact>();
  const schemas = new Map<string, Artefact>();
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!file.startsWith("events/") && !file.startsWith("schemas/")) continue;
    let schema: JsonSchemaObject;
    try {
      schema = JSON.parse(text) as JsonSchemaObject;
    } catch (error) {
      throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    const meta = schema["x-claimwire"] as ArtefactMeta | undefined;
    if (!meta || (meta.kind !== "event" && meta.kind !== "schema")) {
      throw new Error(`${file} has no 'x-claimwire' description of what it is`);
    }
    const artefact = { file, meta, schema };
    if (meta.kind === "event") events.set(meta.eventType, artefact);
    else schemas.set(meta.name, artefact);
  }
  return { events, schemas };
}

/** Rules about whole artefacts, beside the per-schema rules of diffSchemas. */
export type ArtefactRule =
  | "event-type-removed"
  | "event-type-added"
  | "message-removed"
  | "message-added";

/** A change found between the baseline and the current artefacts, with what it concerns. */
export type ContractChange = Omit<SchemaChange, "rule"> & {
  rule: ChangeRule | ArtefactRule;
  /** `event claim.approved`, `response Claim`, `request SubmitClaimInput`. */
  subject: string;
  artefact: ArtefactMeta;
};

function subjectOf(meta: ArtefactMeta): string {
  if (meta.kind === "event") return `event ${meta.eventType}`;
  return `${meta.io === "input" ? "request" : "response"} ${meta.name}`;
}

/**
 * Every change from the last released artefacts (`baseline`) to the current ones, each
 * marked breaking or not (see diffSchemas). Removing an event type or a message is
 * breaking; adding one is not.
 */
export function compareArtefactSets(baseline: ArtefactSet, current: ArtefactSet): ContractChange[] {
  const changes: ContractChange[] = [];
  for (const [group, before, after] of [
    ["events", baseline.events, current.events],
    ["schemas", baseline.schemas, current.schemas],
  ] as const) {
    for (const [key, old] of before) {
      const subject = subjectOf(old.meta);
      const now = after.get(key);
      if (!now) {
        changes.push({
          subject,
          artefact: old.meta,
          rule: group === "events" ? "event-type-removed" : "message-removed",
          path: "(root)",
          breaking: true,
          message:
            group === "events"
              ? "the event type was removed: endpoints subscribed to it would silently stop receiving it"
              : "the message was removed",
        });
        continue;
      }
      for (const c of diffSchemas(
        old.schema as JsonSchema,
        now.schema as JsonSchema,
        old.meta.io,
      )) {
        changes.push({ ...c, subject, artefact: old.meta });
      }
    }
    for (const [key, now] of after) {
      if (before.has(key)) continue;
      changes.push({
        subject: subjectOf(now.meta),
        artefact: now.meta,
        rule: group === "events" ? "event-type-added" : "message-added",
        path: "(root)",
        breaking: false,
        message: group === "events" ? "a new event type" : "a new message",
      });
    }
  }
  return changes;
}

/**
 * The failure message of the breaking-change gate: each break on one line (subject, path,
 * what changed, rule), then how to ship it properly.
 *
 * @example
 * // ✗ event claim.approved: data.approvedAmount — removed (was required) (renamed to 'approvedTotal'?) [field-removed]
 */
export function formatBreakingChanges(changes: readonly ContractChange[]): string {
  const breaking = changes.filter((c) => c.breaking);
  if (breaking.length === 0) return "";
  const lines = breaking.map((c) => `  ✗ ${c.subject}: ${c.path} — ${c.message} [${c.rule}]`);
  const events = [
    ...new Set(
      breaking.flatMap((c) => (c.artefact.kind === "event" ? [c.artefact.eventType] : [])),
    ),
  ];
  const advice = [
    "",
    "Either keep the released shape and ship the change as a new version beside it",
    ...events.map(
      (type) =>
        `  - ${type}: leave it unchanged and add '${nextEventTypeVersion(type)}' to WEBHOOK_EVENT_SCHEMAS (both are delivered until ${type} is retired)`,
    ),
    ...(breaking.some((c) => c.artefact.kind === "schema")
      ? ["  - API messages: add a new procedure or an optional field instead of changing one"]
      : []),
    "or, for a deliberate, announced break, update the baseline in the same change:",
    "  pnpm --filter @claimwire/contracts baseline",
    "(docs/contracts.md: 'Changing a contract safely')",
  ];
  return [
    `${breaking.length} breaking change(s) against contracts/baseline (the last released contract):`,
    ...lines,
    ...advice,
  ].join("\n");
}
