import {
  allowedValues,
  deepEqual,
  describeTypes,
  displayPath,
  inlineRefs,
  isAny,
  type JsonSchema,
  type JsonSchemaObject,
  type JsonType,
  joinPath,
  jsonTypes,
  listValues,
  resolveRef,
  splitNullable,
  typeAccepted,
  unionBranches,
  withoutAnnotations,
} from "./json-schema.ts";

/**
 * Which way a schema's values travel. `output`: the insurer sends them and integrators
 * read them (webhook events, API responses) — a change breaks a reader. `input`:
 * integrators send them (API request bodies) — a change breaks a sender.
 */
export type Direction = "output" | "input";

export const CHANGE_RULES = [
  "type-changed",
  "became-nullable",
  "no-longer-nullable",
  "field-removed",
  "field-became-optional",
  "field-became-required",
  "required-field-added",
  "field-added",
  "extra-fields-allowed",
  "extra-fields-refused",
  "enum-value-removed",
  "enum-value-added",
  "enum-removed",
  "enum-added",
  "const-changed",
  "constraint-loosened",
  "constraint-tightened",
  "pattern-changed",
  "format-changed",
  "variant-removed",
  "variant-added",
] as const;
export type ChangeRule = (typeof CHANGE_RULES)[number];

export type SchemaChange = {
  rule: ChangeRule;
  /** Where in the value: `data.approvedAmount`, `items[].status`, `(root)`. */
  path: string;
  breaking: boolean;
  message: string;
};

/**
 * The differences between two versions of one schema that matter to the other side, each
 * classified as breaking or not for the direction the values travel.
 *
 * For outputs (events, responses) these break a reader: removing or renaming a field,
 * changing its type, making it optional or nullable, removing an enum value or a union
 * variant, dropping an enum or changing a const, loosening a bound or a pattern. Adding
 * fields, enum values or discriminated variants does not, nor does an object that now
 * allows fields it does not declare (readers must ignore what they do not know; a reader
 * that cannot is caught by its own expectations, see consumer-contract.ts). For inputs
 * (requests) these break a sender: a new required field, an optional field becoming
 * required, a narrower type, enum or bound, a new or changed pattern, a removed variant,
 * an object that now refuses fields it does not declare.
 *
 * @example
 * diffSchemas(baseline, current, "output").filter((c) => c.breaking);
 */
export function diffSchemas(
  before: JsonSchema,
  after: JsonSchema,
  direction: Direction,
): SchemaChange[] {
  return diff(before, after, "", direction, { before, after, consumer: false }, 0);
}

/** One way a producer's value could be rejected by a consumer, at a path in the value. */
export type Incompatibility = { path: string; problem: string };

/**
 * Check (b) of a consumer's expectations: every value the producer's schema allows is
 * accepted by the consumer's schema (producer ⊆ consumer). It is the same walk as
 * diffSchemas for an input whose schema changed from the producer's to the consumer's
 * (what was sendable must still be accepted), worded for a consumer. Sound for what it
 * reports, not complete (docs/contracts.md lists what it does not prove).
 *
 * @example
 * checkCompatible(producerJsonSchema, z.toJSONSchema(consumerReads, { io: "input" }));
 * // → [{ path: "data.approvedAmount", problem: "the consumer requires it; the producer does not send it" }]
 */
export function checkCompatible(producer: JsonSchema, consumer: JsonSchema): Incompatibility[] {
  const changes = diff(
    producer,
    consumer,
    "",
    "input",
    { before: producer, after: consumer, consumer: true },
    0,
  );
  const seen = new Set<string>();
  const out: Incompatibility[] = [];
  for (const c of changes) {
    const key = `${c.path}\u0000${c.message}`;
    if (!c.breaking || seen.has(key)) continue;
    seen.add(key);
    out.push({ path: c.path, problem: c.message });
  }
  return out;
}

/** The two documents, and whether messages speak of a producer and a consumer. */
type Roots = { before: JsonSchema; after: JsonSchema; consumer: boolean };

function change(rule: ChangeRule, path: string, breaking: boolean, message: string): SchemaChange {
  return { rule, path: displayPath(path), breaking, message };
}

/** The message for a change: as a change of the schema, or in a consumer's terms. */
function say(roots: Roots, asChange: string, forConsumer: () => string): string {
  return roots.consumer ? forConsumer() : asChange;
}

function diff(
  beforeIn: JsonSchema,
  afterIn: JsonSchema,
  path: string,
  direction: Direction,
  roots: Roots,
  depth: number,
): SchemaChange[] {
  if (depth > 64) return [];
  const b0 = resolveRef(beforeIn, roots.before);
  const a0 = resolveRef(afterIn, roots.after);
  if (sameSchema(b0, roots.before, a0, roots.after)) return [];
  const out = direction === "output";
  const changes: SchemaChange[] = [];

  const { nullable: wasNullable, schema: b } = splitNullable(b0);
  const { nullable: isNullable, schema: a } = splitNullable(a0);
  if (!wasNullable && isNullable) {
    changes.push(change("became-nullable", path, out, "may now be null"));
  } else if (wasNullable && !isNullable) {
    const message = say(
      roots,
      "may no longer be null",
      () => "the producer may send null; the consumer requires a value",
    );
    changes.push(change("no-longer-nullable", path, !out, message));
  }

  if (isAny(b) || isAny(a)) {
    if (isAny(b) && !isAny(a)) {
      const message = say(
        roots,
        "was unconstrained, now constrained",
        () =>
          `the consumer accepts only ${describeTypes(jsonTypes(a) ?? [])}; the producer does not constrain it`,
      );
      changes.push(change("type-changed", path, !out, message));
    } else if (!isAny(b) && isAny(a)) {
      changes.push(change("type-changed", path, out, "was constrained, now accepts anything"));
    }
    return changes;
  }

  const beforeBranches = unionBranches(b);
  const afterBranches = unionBranches(a);
  if (beforeBranches || afterBranches) {
    changes.push(
      ...diffVariants(beforeBranches ?? [b], afterBranches ?? [a], path, direction, roots, depth),
    );
    return changes;
  }

  const beforeTypes = jsonTypes(b);
  const afterTypes = jsonTypes(a);
  if (beforeTypes && afterTypes) {
    const widened = [...afterTypes].filter((t) => !typeAccepted(t, beforeTypes));
    const narrowed = [...beforeTypes].filter((t) => !typeAccepted(t, afterTypes));
    if (widened.length > 0 || narrowed.length > 0) {
      const breaking = out ? widened.length > 0 : narrowed.length > 0;
      const message = say(
        roots,
        `was ${describeTypes(beforeTypes)}, now ${describeTypes(afterTypes)}`,
        () =>
          `the producer may send ${describeTypes(narrowed)}; the consumer accepts only ${describeTypes(afterTypes)}`,
      );
      changes.push(change("type-changed", path, breaking, message));
      // Nothing left in common: the details below would only repeat it.
      if ([...afterTypes].every((t) => !typeAccepted(t, beforeTypes))) return changes;
      if (!out && narrowed.length === beforeTypes.size) return changes;
    }
  }

  changes.push(...diffValues(b, a, path, out, roots));
  changes.push(...diffConstraints(b, a, path, out, roots));

  const isObject = (s: JsonSchemaObject, types: Set<JsonType> | undefined) =>
    types?.has("object") ?? "properties" in s;
  if (isObject(b, beforeTypes) && isObject(a, afterTypes)) {
    changes.push(...diffObjects(b, a, path, direction, roots, depth));
  }
  if (b.items !== undefined || a.items !== undefined) {
    changes.push(
      ...diff(
        (b.items ?? true) as JsonSchema,
        (a.items ?? true) as JsonSchema,
        joinPath(path, "[]"),
        direction,
        roots,
        depth + 1,
      ),
    );
  }
  return changes;
}

function diffValues(
  b: JsonSchemaObject,
  a: JsonSchemaObject,
  path: string,
  out: boolean,
  roots: Roots,
): SchemaChange[] {
  const before = allowedValues(b);
  const after = allowedValues(a);
  if (!before && !after) return [];
  if (before && !after) {
    const was =
      "const" in b ? `was always ${JSON.stringify(b.const)}` : `was one of ${listValues(before)}`;
    return [
      change("enum-removed", path, out, `${was}, now any ${describeTypes(jsonTypes(a) ?? [])}`),
    ];
  }
  if (!before && after) {
    const message = say(
      roots,
      `now limited to ${listValues(after)}`,
      () =>
        `the consumer accepts only ${listValues(after)}; the producer may send any ${describeTypes(jsonTypes(b) ?? ["value" as JsonType])}`,
    );
    return [change("enum-added", path, !out, message)];
  }
  const removed = before!.filter((v) => !after!.some((x) => deepEqual(x, v)));
  const added = after!.filter((v) => !before!.some((x) => deepEqual(x, v)));
  const notAccepted = () =>
    `the producer may send ${listValues(removed)}, which the consumer does not accept (it accepts ${listValues(after!)})`;
  if ("const" in b && "const" in a) {
    const message = say(
      roots,
      `was ${JSON.stringify(b.const)}, now ${JSON.stringify(a.const)}`,
      notAccepted,
    );
    return [change("const-changed", path, true, message)];
  }
  const changes: SchemaChange[] = [];
  if (removed.length > 0) {
    // Outputs: readers that wait for, store or send back the value lose it (and a new
    // version of the event type is the way to stop sending one). Inputs: senders of it
    // are now refused.
    const message = say(roots, `no longer includes ${listValues(removed)}`, notAccepted);
    changes.push(change("enum-value-removed", path, true, message));
  }
  if (added.length > 0) {
    const message =
      "const" in b && out
        ? `was always ${JSON.stringify(before![0])}, now also ${listValues(added)}`
        : `now also includes ${listValues(added)}`;
    // A former const that now varies is a changed meaning for readers, not an addition.
    const breaking = out && "const" in b;
    changes.push(change("enum-value-added", path, breaking, message));
  }
  return changes;
}

const LOWER_BOUNDS = [
  "minimum",
  "exclusiveMinimum",
  "minLength",
  "minItems",
  "minProperties",
] as const;
const UPPER_BOUNDS = [
  "maximum",
  "exclusiveMaximum",
  "maxLength",
  "maxItems",
  "maxProperties",
] as const;

function diffConstraints(
  b: JsonSchemaObject,
  a: JsonSchemaObject,
  path: string,
  out: boolean,
  roots: Roots,
): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const num = (s: JsonSchemaObject, k: string) =>
    typeof s[k] === "number" ? (s[k] as number) : undefined;
  const describe = (k: string, v: number | undefined) =>
    v === undefined ? `no ${k}` : `${k} ${v}`;
  for (const [keys, lower] of [
    [LOWER_BOUNDS, true],
    [UPPER_BOUNDS, false],
  ] as const) {
    for (const key of keys) {
      const was = num(b, key);
      const now = num(a, key);
      if (was === now) continue;
      const loosened = was !== undefined && (now === undefined || (lower ? now < was : now > was));
      const message = say(
        roots,
        `${describe(key, was)} before, ${describe(key, now)} now`,
        () =>
          `the consumer requires ${describe(key, now)}; the producer guarantees ${was === undefined ? `no ${lower ? "lower" : "upper"} bound` : describe(key, was)}`,
      );
      changes.push(
        loosened
          ? change("constraint-loosened", path, out, message)
          : change("constraint-tightened", path, !out, message),
      );
    }
  }
  // What a sender may put in a string, when it is a closed set of values: each can be
  // tested against a pattern the receiving side requires.
  const sent = (out ? allowedValues(a) : allowedValues(b))?.filter(
    (v): v is string => typeof v === "string",
  );
  for (const [key, rule] of [
    ["pattern", "pattern-changed"],
    ["format", "format-changed"],
  ] as const) {
    const was = typeof b[key] === "string" ? (b[key] as string) : undefined;
    const now = typeof a[key] === "string" ? (a[key] as string) : undefined;
    if (was === now) continue;
    const show = (v: string | undefined) =>
      v === undefined ? "none" : key === "pattern" ? `/${v}/` : `'${v}'`;
    if (!out && sent && now !== undefined) {
      // Inputs whose senders send a closed set: only values the new pattern refuses break.
      if (key === "format") continue;
      const failing = sent.filter((v) => !new RegExp(now, "u").test(v));
      if (failing.length === 0) continue;
      const message = say(
        roots,
        `pattern now ${show(now)}, which refuses ${listValues(failing)}`,
        () =>
          `the producer may send ${listValues(failing)}, which does not match the consumer's pattern ${show(now)}`,
      );
      changes.push(change(rule, path, true, message));
      continue;
    }
    // Regular expressions cannot be compared for inclusion: any change to one that was
    // there counts against readers, and any new or changed one against senders.
    const breaking = out ? was !== undefined : now !== undefined;
    const message = say(roots, `${key} was ${show(was)}, now ${show(now)}`, () =>
      key === "pattern"
        ? `the consumer requires the pattern ${show(now)}; the producer guarantees ${was === undefined ? "no pattern" : show(was)} (only identical patterns are proven compatible)`
        : `the consumer requires the format ${show(now)}; the producer guarantees ${was === undefined ? "no format" : show(was)}`,
    );
    changes.push(change(rule, path, breaking, message));
  }
  return changes;
}

function diffObjects(
  b: JsonSchemaObject,
  a: JsonSchemaObject,
  path: string,
  direction: Direction,
  roots: Roots,
  depth: number,
): SchemaChange[] {
  const out = direction === "output";
  const changes: SchemaChange[] = [];
  const beforeProps = (b.properties ?? {}) as Record<string, JsonSchema>;
  const afterProps = (a.properties ?? {}) as Record<string, JsonSchema>;
  const wasRequired = new Set((b.required ?? []) as string[]);
  const isRequired = new Set((a.required ?? []) as string[]);
  const added = Object.keys(afterProps).filter((k) => !(k in beforeProps));

  for (const [key, schema] of Object.entries(beforeProps)) {
    const at = joinPath(path, key);
    if (!(key in afterProps)) {
      const renamedTo = added.find((k) =>
        sameSchema(schema, roots.before, afterProps[k]!, roots.after, { ignoreClosed: true }),
      );
      const hint = renamedTo ? ` (renamed to '${renamedTo}'?)` : "";
      // A request field that is no longer declared is stripped by zod, unless the object
      // now refuses unknown properties.
      const breaking = out || a.additionalProperties === false;
      const message = say(
        roots,
        `removed${wasRequired.has(key) ? " (was required)" : ""}${hint}`,
        () => "the producer sends it; the consumer rejects properties it does not know",
      );
      changes.push(change("field-removed", at, breaking, message));
      continue;
    }
    if (wasRequired.has(key) && !isRequired.has(key)) {
      changes.push(change("field-became-optional", at, out, "was required, now optional"));
    } else if (!wasRequired.has(key) && isRequired.has(key)) {
      const message = say(
        roots,
        "was optional, now required",
        () => "the consumer requires it; the producer may leave it out (optional)",
      );
      changes.push(change("field-became-required", at, !out, message));
    }
    changes.push(...diff(schema, afterProps[key]!, at, direction, roots, depth + 1));
  }
  for (const key of added) {
    const at = joinPath(path, key);
    if (isRequired.has(key)) {
      const message = say(
        roots,
        "added, required",
        () => "the consumer requires it; the producer does not send it",
      );
      changes.push(change("required-field-added", at, !out, message));
    } else {
      changes.push(change("field-added", at, false, "added, optional"));
    }
  }
  // Open (no `additionalProperties: false`) means "may carry fields not declared here":
  // how every output is published, so the insurer can add optional fields.
  const wasOpen = b.additionalProperties !== false;
  const isOpen = a.additionalProperties !== false;
  if (wasOpen && !isOpen) {
    const message = say(
      roots,
      "now refuses properties it does not declare",
      () =>
        "the producer may add properties it does not declare yet (a new optional field is not a breaking change); the consumer rejects properties it does not know",
    );
    changes.push(change("extra-fields-refused", path, !out, message));
  } else if (!wasOpen && isOpen) {
    changes.push(
      change("extra-fields-allowed", path, false, "now allows properties it does not declare"),
    );
  }
  const beforeExtra = b.additionalProperties;
  const afterExtra = a.additionalProperties;
  if (
    typeof beforeExtra === "object" &&
    beforeExtra !== null &&
    typeof afterExtra === "object" &&
    afterExtra !== null
  ) {
    changes.push(
      ...diff(
        beforeExtra as JsonSchema,
        afterExtra as JsonSchema,
        joinPath(path, "*"),
        direction,
        roots,
        depth + 1,
      ),
    );
  }
  return changes;
}

/**
 * Union variants are paired by a discriminating property (a const in every variant, as
 * zod's discriminated unions have); else, for inputs, each variant that was accepted must
 * fit one that is, and for outputs they are compared by equality. Outputs: a removed
 * variant is breaking; an added one is not when it is discriminated (like a new enum
 * value), and is when it is not (the value's type widened). Inputs: a removed variant is
 * breaking.
 */
function diffVariants(
  before: JsonSchemaObject[],
  after: JsonSchemaObject[],
  path: string,
  direction: Direction,
  roots: Roots,
  depth: number,
): SchemaChange[] {
  const out = direction === "output";
  const changes: SchemaChange[] = [];
  const key = discriminator(before, roots.before, after, roots.after);
  if (key) {
    const tag = (s: JsonSchemaObject, root: JsonSchema) =>
      JSON.stringify(resolveRef((s.properties as Record<string, JsonSchema>)[key]!, root).const);
    const afterByTag = new Map(after.map((s) => [tag(s, roots.after), s]));
    const beforeTags = new Set(before.map((s) => tag(s, roots.before)));
    for (const variant of before) {
      const t = tag(variant, roots.before);
      const match = afterByTag.get(t);
      if (!match) {
        const message = say(
          roots,
          `the variant ${key}=${t} was removed`,
          () => `the producer may send the variant ${key}=${t}, which the consumer does not accept`,
        );
        changes.push(change("variant-removed", path, true, message));
      } else {
        changes.push(...diff(variant, match, `${path}[${key}=${t}]`, direction, roots, depth + 1));
      }
    }
    for (const variant of after) {
      const t = tag(variant, roots.after);
      if (!beforeTags.has(t)) {
        changes.push(change("variant-added", path, false, `the variant ${key}=${t} was added`));
      }
    }
    return changes;
  }
  if (!out) {
    // Inputs: what was sendable must still be accepted, so each variant that was accepted
    // must fit (at least) one variant now; report the closest fit when none does.
    return before.flatMap((variant) => {
      const fits = after.map((a) => diff(variant, a, path, direction, roots, depth + 1));
      const breaks = (list: SchemaChange[]) => list.filter((c) => c.breaking).length;
      return fits.reduce((best, f) => (breaks(f) < breaks(best) ? f : best));
    });
  }
  const stripped = (list: JsonSchemaObject[], root: JsonSchema) =>
    list.map((s) => withoutAnnotations(inlineRefs(s, root)));
  const beforeStripped = stripped(before, roots.before);
  const afterStripped = stripped(after, roots.after);
  const removed = beforeStripped.filter((s) => !afterStripped.some((x) => deepEqual(x, s)));
  const added = afterStripped.filter((s) => !beforeStripped.some((x) => deepEqual(x, s)));
  if (removed.length > 0) {
    changes.push(
      change(
        "variant-removed",
        path,
        true,
        `${removed.length} variant(s) of the union changed or were removed (no discriminating property to compare them field by field)`,
      ),
    );
  }
  if (added.length > 0) {
    changes.push(
      change("variant-added", path, out, `${added.length} variant(s) were added to the union`),
    );
  }
  return changes;
}

/**
 * Equal in meaning: refs inlined, annotations ignored. `ignoreClosed` also ignores
 * `additionalProperties: false`, to recognise a field under a new name whose object was
 * opened meanwhile (released closed, published open since).
 */
function sameSchema(
  a: JsonSchema,
  aRoot: JsonSchema,
  b: JsonSchema,
  bRoot: JsonSchema,
  { ignoreClosed = false } = {},
): boolean {
  const normal = (schema: JsonSchema, root: JsonSchema) => {
    const plain = withoutAnnotations(inlineRefs(schema, root));
    return ignoreClosed ? withoutClosedObjects(plain) : plain;
  };
  return deepEqual(normal(a, aRoot), normal(b, bRoot));
}

function withoutClosedObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutClosedObjects);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "additionalProperties" && value === false) continue;
    out[key] = key === "enum" || key === "const" ? value : withoutClosedObjects(value);
  }
  return out;
}

/** A property that is a const in every variant on both sides, with distinct values. */
function discriminator(
  before: JsonSchemaObject[],
  beforeRoot: JsonSchema,
  after: JsonSchemaObject[],
  afterRoot: JsonSchema,
): string | undefined {
  const constKeys = (variant: JsonSchemaObject, root: JsonSchema) => {
    const props = (variant.properties ?? {}) as Record<string, JsonSchema>;
    return Object.keys(props).filter((k) => "const" in resolveRef(props[k]!, root));
  };
  const all = [
    ...before.map((v) => [v, beforeRoot] as const),
    ...after.map((v) => [v, afterRoot] as const),
  ];
  if (all.length === 0) return undefined;
  const [first, ...rest] = all.map(([v, root]) => constKeys(v, root));
  const candidates = (first ?? []).filter((k) => rest.every((keys) => keys.includes(k)));
  return candidates.find((k) => {
    const values = (list: JsonSchemaObject[], root: JsonSchema) =>
      list.map((v) =>
        JSON.stringify(resolveRef((v.properties as Record<string, JsonSchema>)[k]!, root).const),
      );
    const b = values(before, beforeRoot);
    const a = values(after, afterRoot);
    return new Set(b).size === b.length && new Set(a).size === a.length;
  });
}
