import { z } from "zod";

/**
 * An endpoint's payload filter: a MongoDB-style query over the webhook body as delivered
 * (`{ type, timestamp, data }`) that an event must match, beside its event types, for
 * the endpoint to get it. The syntax is the one Convoy documents for its subscription
 * filters (`$eq`, `$neq`, `$gt`, `$in`, `$or`, `$and`, `$exist`, …), with MongoDB's own
 * spellings (`$ne`, `$exists`) as well. This file checks a filter's shape only (contracts
 * import nothing but zod); the insurer evaluates it with sift (insurer-domain,
 * docs/decisions/0005-payload-filters.md, docs/api.md#payload-filters).
 *
 * @example
 * // claims over €1,000 that were approved or paid
 * { "data.total.amount": { "$gt": 100000 }, "type": { "$in": ["claim.approved", "claim.paid"] } }
 */

/** A filter's JSON text is at most this long, and nests at most this deep. */
export const MAX_PAYLOAD_FILTER_LENGTH = 4_096;
export const MAX_PAYLOAD_FILTER_DEPTH = 8;

/** Operators that test one field's value, with what each takes. */
const FIELD_OPERATORS = {
  $eq: "any JSON value",
  $ne: "any JSON value",
  $neq: "any JSON value",
  $gt: "a number or a string",
  $gte: "a number or a string",
  $lt: "a number or a string",
  $lte: "a number or a string",
  $in: "a non-empty list of strings, numbers, booleans or null",
  $nin: "a non-empty list of strings, numbers, booleans or null",
  $exists: "true or false",
  $exist: "true or false",
  $not: "an object of operators",
} as const;

/** Operators that combine whole filters; each takes a non-empty list of filters. */
export const PAYLOAD_FILTER_LOGICAL_OPERATORS: ReadonlySet<string> = new Set([
  "$and",
  "$or",
  "$nor",
]);

/** Convoy's spellings, each of the MongoDB operator it means (the evaluator maps them). */
export const PAYLOAD_FILTER_ALIASES: Readonly<Record<string, string>> = {
  $neq: "$ne",
  $exist: "$exists",
};

/** Every operator a filter may use (docs/api.md#payload-filters lists what each does). */
export const PAYLOAD_FILTER_OPERATORS: readonly string[] = [
  ...Object.keys(FIELD_OPERATORS),
  ...PAYLOAD_FILTER_LOGICAL_OPERATORS,
];

/** Operators MongoDB (and sift) know that a filter may not use, and why. */
const REFUSED_OPERATORS: Record<string, string> = {
  $where: "it runs code",
  $function: "it runs code",
  $expr: "it runs code",
  $regex: "a pattern can take exponential time on a crafted value; use $eq or $in",
  $options: "it belongs to $regex, which is not allowed",
};

/** Path segments that name no field of an event, only of JavaScript's objects. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

type JsonPath = (string | number)[];
export type PayloadFilterProblem = { path: JsonPath; message: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/** How deeply objects and arrays nest in `value` (a scalar is 0). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (isPlainObject(value)) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

function unknownOperator(op: string): string {
  const why = REFUSED_OPERATORS[op];
  if (why) return `'${op}' is not allowed: ${why}`;
  return `'${op}' is not a known operator; use one of ${PAYLOAD_FILTER_OPERATORS.join(", ")}`;
}

/** Checks a filter object: field names and logical operators side by side. */
function checkFilter(filter: unknown, path: JsonPath, problems: PayloadFilterProblem[]): void {
  if (!isPlainObject(filter)) {
    problems.push({ path, message: "must be an object of field names and conditions" });
    return;
  }
  for (const [key, value] of Object.entries(filter)) {
    const at = [...path, key];
    if (PAYLOAD_FILTER_LOGICAL_OPERATORS.has(key)) {
      if (!Array.isArray(value) || value.length === 0) {
        problems.push({ path: at, message: `'${key}' takes a non-empty list of filters` });
        continue;
      }
      value.forEach((item, i) => {
        checkFilter(item, [...at, i], problems);
      });
    } else if (key in FIELD_OPERATORS) {
      problems.push({
        path: at,
        message: `'${key}' tests a field: write { "<field>": { "${key}": … } }`,
      });
    } else if (key.startsWith("$")) {
      problems.push({ path: at, message: unknownOperator(key) });
    } else {
      const problem = fieldNameProblem(key);
      if (problem) problems.push({ path: at, message: problem });
      else checkCondition(value, at, problems);
    }
  }
}

/** Why `name` cannot name a field (dotted paths like `data.total.amount` can), or null. */
function fieldNameProblem(name: string): string | null {
  const segments = name.split(".");
  if (segments.some((segment) => segment === "")) {
    return `'${name}' is not a field path (empty segment)`;
  }
  const forbidden = segments.find((segment) => FORBIDDEN_SEGMENTS.has(segment));
  if (forbidden) return `'${forbidden}' names no field of an event`;
  return null;
}

/**
 * Checks what a field must satisfy: a value to equal, an object of operators, or an
 * object of nested fields (Convoy's nested match: `{ "data": { "status": "paid" } }`
 * tests `data.status`, leaving `data`'s other fields free).
 */
function checkCondition(value: unknown, path: JsonPath, problems: PayloadFilterProblem[]): void {
  if (!isPlainObject(value)) return; // a scalar or a list: equality
  const keys = Object.keys(value);
  if (keys.length === 0) {
    problems.push({ path, message: "is empty: give a value, operators or nested fields" });
    return;
  }
  const operators = keys.filter((key) => key.startsWith("$"));
  if (operators.length === 0) {
    checkFilterFields(value, path, problems);
    return;
  }
  if (operators.length !== keys.length) {
    const fields = keys.filter((key) => !key.startsWith("$"));
    problems.push({
      path,
      message: `mixes operators (${operators.join(", ")}) with field names (${fields.join(", ")})`,
    });
    return;
  }
  checkOperatorObject(value, path, problems);
}

function checkOperatorObject(
  value: Record<string, unknown>,
  path: JsonPath,
  problems: PayloadFilterProblem[],
): void {
  // Two spellings of one operator in one object would leave only one of them in force.
  for (const [convoy, mongo] of Object.entries(PAYLOAD_FILTER_ALIASES)) {
    if (mongo in value && convoy in value) {
      problems.push({ path, message: `'${mongo}' and '${convoy}' are one operator: give one` });
    }
  }
  for (const op of Object.keys(value)) checkOperator(op, value[op], [...path, op], problems);
}

/** Nested fields under a field: each a field name and its condition, no logical operators. */
function checkFilterFields(
  value: Record<string, unknown>,
  path: JsonPath,
  problems: PayloadFilterProblem[],
): void {
  for (const [key, nested] of Object.entries(value)) {
    const problem = fieldNameProblem(key);
    if (problem) problems.push({ path: [...path, key], message: problem });
    else checkCondition(nested, [...path, key], problems);
  }
}

function checkOperator(
  op: string,
  arg: unknown,
  path: JsonPath,
  problems: PayloadFilterProblem[],
): void {
  const bad = (message: string) => problems.push({ path, message });
  switch (op) {
    case "$eq":
    case "$ne":
    case "$neq":
      return;
    case "$gt":
    case "$gte":
    case "$lt":
    case "$lte":
      if (typeof arg !== "string" && !(typeof arg === "number" && Number.isFinite(arg))) {
        bad(`'${op}' takes ${FIELD_OPERATORS[op]}`);
      }
      return;
    case "$in":
    case "$nin":
      if (!Array.isArray(arg) || arg.length === 0 || !arg.every(isScalar)) {
        bad(`'${op}' takes ${FIELD_OPERATORS[op]}`);
      }
      return;
    case "$exists":
    case "$exist":
      if (typeof arg !== "boolean") bad(`'${op}' takes ${FIELD_OPERATORS[op]}`);
      return;
    case "$not":
      if (
        !isPlainObject(arg) ||
        Object.keys(arg).length === 0 ||
        !Object.keys(arg).every((key) => key.startsWith("$"))
      ) {
        bad(`'$not' takes ${FIELD_OPERATORS.$not}, like { "$in": ["rejected"] }`);
        return;
      }
      checkOperatorObject(arg, path, problems);
      return;
    default:
      if (PAYLOAD_FILTER_LOGICAL_OPERATORS.has(op)) {
        bad(`'${op}' combines whole filters: put it beside field names, not under a field`);
      } else {
        bad(unknownOperator(op));
      }
  }
}

/**
 * Every problem of a filter, each with the path to the bad part, or none. Size and depth
 * come first: an oversized filter is not walked.
 *
 * @example
 * payloadFilterProblems({ data: { status: { $regex: "^pa" } } });
 * // [{ path: ["data", "status", "$regex"], message: "'$regex' is not allowed: …" }]
 */
export function payloadFilterProblems(filter: unknown): PayloadFilterProblem[] {
  const length = JSON.stringify(filter)?.length ?? 0;
  if (length > MAX_PAYLOAD_FILTER_LENGTH) {
    return [
      {
        path: [],
        message: `is ${length} characters of JSON; at most ${MAX_PAYLOAD_FILTER_LENGTH}`,
      },
    ];
  }
  if (depthOf(filter) > MAX_PAYLOAD_FILTER_DEPTH) {
    return [{ path: [], message: `nests deeper than ${MAX_PAYLOAD_FILTER_DEPTH} levels` }];
  }
  const problems: PayloadFilterProblem[] = [];
  checkFilter(filter, [], problems);
  return problems;
}

const PAYLOAD_FILTER_DESCRIPTION =
  "A MongoDB-style query over the webhook body as delivered ({type, timestamp, data}): the " +
  "endpoint gets an event of its event types only if the body matches. Field names are dotted " +
  'paths ("data.total.amount") or nested objects; a plain value means equality. Operators: ' +
  "$eq, $ne/$neq, $gt, $gte, $lt, $lte, $in, $nin, $exists/$exist, $not, $and, $or, $nor. " +
  `At most ${MAX_PAYLOAD_FILTER_LENGTH} characters of JSON, ${MAX_PAYLOAD_FILTER_DEPTH} levels deep. ` +
  "webhook.test events ignore it. See docs/api.md#payload-filters.";

const PAYLOAD_FILTER_EXAMPLE = {
  "data.total.amount": { $gt: 100000 },
  type: { $in: ["claim.approved", "claim.paid"] },
};

/** A filter as given on create and update: refused, naming the bad part, unless well formed. */
export const PayloadFilterSchema = z
  .record(z.string(), z.unknown())
  .superRefine((filter, ctx) => {
    for (const { path, message } of payloadFilterProblems(filter)) {
      ctx.addIssue({ code: "custom", path, message, input: filter });
    }
  })
  .meta({ description: PAYLOAD_FILTER_DESCRIPTION, examples: [PAYLOAD_FILTER_EXAMPLE] });
export type PayloadFilter = z.infer<typeof PayloadFilterSchema>;

/**
 * A stored filter as the API returns it: checked on the way in, not again on the way out,
 * so a filter accepted under older rules is still returned.
 */
export const storedPayloadFilter = () =>
  z.record(z.string(), z.unknown()).meta({
    description: PAYLOAD_FILTER_DESCRIPTION,
    examples: [PAYLOAD_FILTER_EXAMPLE],
  });
