import {
  PAYLOAD_FILTER_ALIASES,
  PAYLOAD_FILTER_LOGICAL_OPERATORS,
  type PayloadFilter,
  type WebhookEvent,
} from "@claimwire/contracts";
import type * as Sift from "sift";
import siftModule from "sift";

// sift is CommonJS that assigns its named exports at run time, which Node's ESM import
// cannot see; its default export carries them all.
const { $and, $eq, $exists, $gt, $gte, $in, $lt, $lte, $ne, $nin, $nor, $not, $or } =
  siftModule as unknown as typeof Sift;
const { createQueryTester } = siftModule as unknown as typeof Sift;

/**
 * The operators sift may run, and nothing else: `$where` (runs code) and `$regex`
 * (backtracking) are not even registered, so a filter that slipped past the contract's
 * check (PayloadFilterSchema) still could not use them. Convoy's spellings map to these
 * (PAYLOAD_FILTER_ALIASES, shared with the check).
 */
const OPERATIONS = { $and, $eq, $exists, $gt, $gte, $in, $lt, $lte, $ne, $nin, $nor, $not, $or };

type Query = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An object of operators with Convoy's spellings turned into MongoDB's. */
function operatorsOf(value: Record<string, unknown>): Query {
  return Object.fromEntries(
    Object.entries(value).map(([op, arg]) => [
      PAYLOAD_FILTER_ALIASES[op] ?? op,
      op === "$not" && isPlainObject(arg) ? operatorsOf(arg) : arg,
    ]),
  );
}

/**
 * One condition per field path. A nested object of fields is Convoy's nested match
 * (`{ data: { status: "paid" } }` tests `data.status` only), not MongoDB's whole-object
 * equality, so it becomes dotted paths; `$eq` still compares whole objects.
 */
function fieldConditions(path: string, value: unknown): Query[] {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length > 0 && keys.every((key) => key.startsWith("$"))) {
      return [{ [path]: operatorsOf(value) }];
    }
    return keys.flatMap((key) => fieldConditions(`${path}.${key}`, value[key]));
  }
  return [{ [path]: value }];
}

/** The sift query a (checked) payload filter means; every condition must hold. */
export function toSiftQuery(filter: PayloadFilter): Query {
  const conditions = Object.entries(filter).flatMap(([key, value]) =>
    PAYLOAD_FILTER_LOGICAL_OPERATORS.has(key) && Array.isArray(value)
      ? [{ [key]: value.map((item) => (isPlainObject(item) ? toSiftQuery(item) : item)) }]
      : fieldConditions(key, value),
  );
  // `{}` (also inside `$or: [{}]`) matches everything, as in MongoDB; sift refuses `$and: []`.
  if (conditions.length === 0) return {};
  return conditions.length === 1 ? (conditions[0] as Query) : { $and: conditions };
}

/** sift's test for a filter, with only OPERATIONS registered; throws if it cannot compile. */
export function siftTester(filter: PayloadFilter): (event: WebhookEvent) => boolean {
  return createQueryTester(toSiftQuery(filter) as never, { operations: OPERATIONS });
}

/** Compiled filters kept, the oldest dropped first: enough for every endpoint of most insurers. */
const COMPILED_KEPT = 1_000;
const compiled = new Map<string, (event: WebhookEvent) => boolean>();

/**
 * A test of the webhook body (`{ type, timestamp, data }`, as delivered) against an
 * endpoint's payload filter; no filter (or `{}`) lets every event through, and so does
 * a filter that cannot run.
 *
 * @example
 * compilePayloadFilter({ "data.total.amount": { $gt: 100000 } })(paidEvent); // true over €1,000
 */
export function compilePayloadFilter(
  filter: PayloadFilter | null,
): (event: WebhookEvent) => boolean {
  if (filter === null || Object.keys(filter).length === 0) return () => true;
  // Fan-out reads the endpoints' rows afresh for every event and tests each filter:
  // compiling costs many times the test, so a filter's compiled form is kept by its JSON.
  const key = JSON.stringify(filter);
  const cached = compiled.get(key);
  if (cached) return cached;
  const test = compileUncached(filter);
  if (compiled.size >= COMPILED_KEPT) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, test);
  return test;
}

function compileUncached(filter: PayloadFilter): (event: WebhookEvent) => boolean {
  // Fan-out runs inside the status change's transaction: a stored filter sift cannot run
  // (written past the API, or under an older rule set) delivers rather than failing the
  // change or losing the event. Every filter the API accepted compiles.
  try {
    const test = siftTester(filter);
    return (event) => {
      try {
        return test(event);
      } catch {
        return true;
      }
    };
  } catch {
    return () => true;
  }
}
