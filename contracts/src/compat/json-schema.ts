/**
 * Small, dependency-free helpers for reading the JSON Schemas (draft 2020-12) that zod's
 * `z.toJSONSchema` writes: boolean schemas, local `$ref`s, nullability written as
 * `anyOf: [X, {type: "null"}]`, unions, enums and consts. The compatibility checks in
 * this folder (breaking-changes.ts) are built on them.
 */

/** A JSON Schema or sub-schema; `true` accepts anything, `false` nothing. */
export type JsonSchema = JsonSchemaObject | boolean;
export type JsonSchemaObject = { [keyword: string]: unknown };

/** Keywords that describe a value without constraining it. */
const ANNOTATIONS = new Set([
  "$comment",
  "$schema",
  "$id",
  "$defs",
  "definitions",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

function isAnnotation(keyword: string): boolean {
  return ANNOTATIONS.has(keyword) || keyword.startsWith("x-");
}

function asObject(schema: JsonSchema): JsonSchemaObject {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  return schema;
}

/** True when the schema accepts every value (`{}`, `true`, or only annotations). */
export function isAny(schema: JsonSchema): boolean {
  if (typeof schema === "boolean") return schema;
  return Object.keys(schema).every(isAnnotation);
}

/** True when the schema accepts no value (`false` or `{ not: {} }`). */
function isNever(schema: JsonSchema): boolean {
  if (typeof schema === "boolean") return !schema;
  return schema.not !== undefined && isAny(schema.not as JsonSchema);
}

/**
 * Follows local `$ref`s (`#/$defs/Money`) against the document's root, keeping sibling
 * keywords. zod inlines everything by default; refs appear when a schema has an id.
 */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchemaObject {
  let current = asObject(schema);
  for (let hops = 0; typeof current.$ref === "string"; hops++) {
    if (hops > 32) throw new Error(`$ref chain too long at '${current.$ref}'`);
    const { $ref, ...siblings } = current;
    const target = lookupPointer(root, $ref as string);
    current = { ...asObject(target), ...siblings };
  }
  return current;
}

function lookupPointer(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith("#")) throw new Error(`only local $refs are supported, got '${ref}'`);
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`cannot resolve $ref '${ref}'`);
  return node as JsonSchema;
}

/** The branches of an `anyOf`/`oneOf`, each merged with the keywords beside it. */
export function unionBranches(schema: JsonSchemaObject): JsonSchemaObject[] | undefined {
  const list = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (!Array.isArray(list)) return undefined;
  const { anyOf: _anyOf, oneOf: _oneOf, ...siblings } = schema;
  const constraining = Object.keys(siblings).filter((k) => !isAnnotation(k));
  return list.map((branch) =>
    constraining.length === 0 ? asObject(branch) : { ...siblings, ...asObject(branch) },
  );
}

function isNullOnly(schema: JsonSchemaObject): boolean {
  if (schema.type === "null") return true;
  if (schema.const === null) return true;
  return (
    Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every((v) => v === null)
  );
}

/**
 * Separates "may be null" from the rest of the schema, whichever way it is written:
 * `anyOf: [X, {type: "null"}]` (zod's `.nullable()`), `type: ["string", "null"]`, or an
 * enum that lists `null`.
 */
export function splitNullable(schema: JsonSchemaObject): {
  nullable: boolean;
  schema: JsonSchemaObject;
} {
  const branches = unionBranches(schema);
  if (branches) {
    const rest = branches.filter((b) => !isNullOnly(b));
    if (rest.length === branches.length) return { nullable: false, schema };
    if (rest.length === 1) return { nullable: true, schema: rest[0]! };
    if (rest.length === 0) return { nullable: true, schema: { not: {} } };
    const { anyOf: _anyOf, oneOf: _oneOf, ...siblings } = schema;
    const key = schema.anyOf ? "anyOf" : "oneOf";
    return { nullable: true, schema: { ...siblings, [key]: rest } };
  }
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const types = schema.type.filter((t) => t !== "null");
    return {
      nullable: true,
      schema: { ...schema, type: types.length === 1 ? types[0] : types },
    };
  }
  if (isNullOnly(schema)) return { nullable: true, schema: { not: {} } };
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) {
    return { nullable: true, schema: { ...schema, enum: schema.enum.filter((v) => v !== null) } };
  }
  return { nullable: false, schema };
}

export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "object" | "array";

function valueType(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "string" || typeof value === "boolean") return typeof value as JsonType;
  return "object";
}

/**
 * The JSON types a schema admits, or `undefined` when it does not say (any type).
 * Inferred from `type`, else from `const`/`enum`, else from type-specific keywords.
 */
export function jsonTypes(schema: JsonSchemaObject): Set<JsonType> | undefined {
  if (isNever(schema)) return new Set();
  if (typeof schema.type === "string") return new Set([schema.type as JsonType]);
  if (Array.isArray(schema.type)) return new Set(schema.type as JsonType[]);
  const values = allowedValues(schema);
  if (values) return new Set(values.map(valueType));
  const branches = unionBranches(schema);
  if (branches) {
    const all = new Set<JsonType>();
    for (const branch of branches) {
      const types = jsonTypes(branch);
      if (!types) return undefined;
      for (const t of types) all.add(t);
    }
    return all;
  }
  if ("properties" in schema || "required" in schema || "additionalProperties" in schema) {
    return new Set(["object"]);
  }
  if ("items" in schema || "prefixItems" in schema) return new Set(["array"]);
  return undefined;
}

/** Whether a value of type `t` is accepted where `accepted` types are allowed. */
export function typeAccepted(t: JsonType, accepted: ReadonlySet<JsonType>): boolean {
  return accepted.has(t) || (t === "integer" && accepted.has("number"));
}

/** The closed set of values (`const`, or `enum`), or `undefined` when it is open. */
export function allowedValues(schema: JsonSchemaObject): unknown[] | undefined {
  if ("const" in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  return undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      k in b && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/**
 * A copy with every local `$ref` replaced by what it points to (to a depth, for recursive
 * schemas), so that two documents compare by content whatever their `$defs` are called.
 */
export function inlineRefs(schema: unknown, root: JsonSchema, depth = 0): unknown {
  if (Array.isArray(schema)) return schema.map((item) => inlineRefs(item, root, depth));
  if (typeof schema !== "object" || schema === null) return schema;
  const node =
    depth < 32 && "$ref" in schema ? resolveRef(schema as JsonSchemaObject, root) : schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$defs" || key === "definitions") continue;
    out[key] = key === "const" || key === "enum" ? value : inlineRefs(value, root, depth + 1);
  }
  return out;
}

/** A copy without annotations at any depth, so that two schemas compare by meaning. */
export function withoutAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (isAnnotation(key)) continue;
    // Property names and enum values are data, not keywords: keep them all.
    if (key === "properties" && typeof value === "object" && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, withoutAnnotations(sub)]),
      );
    } else if (key === "enum" || key === "const" || key === "required") {
      out[key] = value;
    } else {
      out[key] = withoutAnnotations(value);
    }
  }
  return out;
}

/** `data.approvedAmount`, `reasonCodes[]`, `(root)` for the top. */
export function joinPath(path: string, key: string): string {
  if (key === "[]") return `${path || "(root)"}[]`;
  return path ? `${path}.${key}` : key;
}

export function displayPath(path: string): string {
  return path || "(root)";
}

/** `"a", "b" or "c"` — values as they appear in JSON. */
export function listValues(values: readonly unknown[], max = 12): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  if (values.length > max) shown.push(`… (${values.length - max} more)`);
  return shown.join(", ");
}

export function describeTypes(types: Iterable<JsonType>): string {
  const list = [...types];
  if (list.length === 0) return "nothing";
  return list.join(" or ");
}
