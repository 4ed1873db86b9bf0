import { describe, expect, it } from "vitest";
import { CreateEndpointInputSchema, UpdateEndpointInputSchema } from "./api.ts";
import {
  MAX_PAYLOAD_FILTER_DEPTH,
  MAX_PAYLOAD_FILTER_LENGTH,
  PayloadFilterSchema,
  payloadFilterProblems,
} from "./payload-filter.ts";

/** What a user reads: `path: message` per problem, as the API reports zod issues. */
function problemsOf(filter: unknown): string[] {
  return payloadFilterProblems(filter).map(
    ({ path, message }) => `${path.length > 0 ? `${path.join(".")}: ` : ""}${message}`,
  );
}

describe("payload filters: accepted", () => {
  it.each([
    ["equality on a dotted path", { "data.status": "paid" }],
    ["Convoy's nested match", { data: { status: "paid", total: { currency: "EUR" } } }],
    ["amount over", { "data.total.amount": { $gt: 100_000 } }],
    ["a range", { "data.total.amount": { $gte: 1_000, $lt: 50_000 } }],
    ["timestamps compare as strings", { timestamp: { $gte: "2026-01-01T00:00:00.000Z" } }],
    ["some statuses", { "data.status": { $in: ["approved", "partially_approved", "paid"] } }],
    ["not these", { type: { $nin: ["claim.in_review"] } }],
    [
      "Convoy's $neq and $exist",
      { "data.status": { $neq: "rejected" }, summary: { $exist: true } },
    ],
    ["MongoDB's $ne and $exists", { "data.previousStatus": { $ne: null }, x: { $exists: false } }],
    ["$not", { "data.status": { $not: { $in: ["rejected", "withdrawn"] } } }],
    [
      "$and, $or and $nor",
      {
        $and: [
          { $or: [{ type: "claim.paid" }, { "data.total.amount": { $gt: 100 } }] },
          { $nor: [{ "data.clinicReference": "TEST-1" }] },
        ],
      },
    ],
    ["an array value (array equality or membership)", { "data.reasonCodes": "MISSING_DOCS" }],
    [
      "$eq with an object compares whole objects",
      { "data.total": { $eq: { amount: 1, currency: "EUR" } } },
    ],
    ["an empty filter (no filter)", {}],
  ])("%s", (_name, filter) => {
    expect(problemsOf(filter)).toEqual([]);
    expect(PayloadFilterSchema.safeParse(filter).success).toBe(true);
  });
});

describe("payload filters: refused, naming the bad part", () => {
  it.each([
    [
      { "data.status": { $regex: "^(a+)+$" } },
      "data.status.$regex: '$regex' is not allowed: a pattern can take exponential time on a crafted value; use $eq or $in",
    ],
    [{ $where: "this.data.total.amount > 1" }, "$where: '$where' is not allowed: it runs code"],
    [
      { data: { status: { $where: "1" } } },
      "data.status.$where: '$where' is not allowed: it runs code",
    ],
    [
      { "data.status": { $like: "pa%" } },
      "data.status.$like: '$like' is not a known operator; use one of $eq, $ne, $neq, $gt, $gte, $lt, $lte, $in, $nin, $exists, $exist, $not, $and, $or, $nor",
    ],
    [
      { "data.total.amount": { $gt: true } },
      "data.total.amount.$gt: '$gt' takes a number or a string",
    ],
    [
      { "data.status": { $in: [] } },
      "data.status.$in: '$in' takes a non-empty list of strings, numbers, booleans or null",
    ],
    [
      { "data.status": { $in: "paid" } },
      "data.status.$in: '$in' takes a non-empty list of strings, numbers, booleans or null",
    ],
    [
      { "data.status": { $nin: [{ a: 1 }] } },
      "data.status.$nin: '$nin' takes a non-empty list of strings, numbers, booleans or null",
    ],
    [{ summary: { $exists: "yes" } }, "summary.$exists: '$exists' takes true or false"],
    [{ $or: [] }, "$or: '$or' takes a non-empty list of filters"],
    [{ $and: { type: "claim.paid" } }, "$and: '$and' takes a non-empty list of filters"],
    [
      { $or: [{ type: "claim.paid" }, "claim.approved"] },
      "$or.1: must be an object of field names and conditions",
    ],
    [
      { $or: [{ type: { $regex: "x" } }] },
      "$or.0.type.$regex: '$regex' is not allowed: a pattern can take exponential time on a crafted value; use $eq or $in",
    ],
    [{ $gt: 1 }, '$gt: \'$gt\' tests a field: write { "<field>": { "$gt": … } }'],
    [
      { "data.status": { $or: [{ a: 1 }] } },
      "data.status.$or: '$or' combines whole filters: put it beside field names, not under a field",
    ],
    [
      { data: { status: "paid", $ne: null } },
      "data: mixes operators ($ne) with field names (status)",
    ],
    [{ data: {} }, "data: is empty: give a value, operators or nested fields"],
    [
      { "data.status": { $ne: "a", $neq: "b" } },
      "data.status: '$ne' and '$neq' are one operator: give one",
    ],
    [
      { x: { $not: { $exist: true, $exists: false } } },
      "x.$not: '$exists' and '$exist' are one operator: give one",
    ],
    [
      { "data..status": "paid" },
      "data..status: 'data..status' is not a field path (empty segment)",
    ],
    [{ "__proto__.polluted": 1 }, "__proto__.polluted: '__proto__' names no field of an event"],
    [
      { data: { constructor: { $exists: true } } },
      "data.constructor: 'constructor' names no field of an event",
    ],
    [
      { "data.status": { $not: "rejected" } },
      'data.status.$not: \'$not\' takes an object of operators, like { "$in": ["rejected"] }',
    ],
    [
      { "data.status": { $not: { $regex: "x" } } },
      "data.status.$not.$regex: '$regex' is not allowed: a pattern can take exponential time on a crafted value; use $eq or $in",
    ],
  ])("%j", (filter, message) => {
    expect(problemsOf(filter)).toEqual([message]);
  });

  it("reports every problem, not just the first", () => {
    expect(
      problemsOf({ type: { $regex: "x" }, "data.status": { $in: [] }, $where: "1" }),
    ).toHaveLength(3);
  });

  it(`refuses more than ${MAX_PAYLOAD_FILTER_LENGTH} characters and deeper than ${MAX_PAYLOAD_FILTER_DEPTH} levels, without walking it`, () => {
    const long = {
      "data.clinicReference": { $in: Array.from({ length: 500 }, (_, i) => `REF-${i}`) },
    };
    expect(problemsOf(long)).toEqual([
      `is ${JSON.stringify(long).length} characters of JSON; at most ${MAX_PAYLOAD_FILTER_LENGTH}`,
    ]);
    let deep: Record<string, unknown> = { type: "claim.paid" };
    for (let i = 0; i < MAX_PAYLOAD_FILTER_DEPTH; i++) deep = { $and: [deep] };
    expect(problemsOf(deep)).toEqual([`nests deeper than ${MAX_PAYLOAD_FILTER_DEPTH} levels`]);
  });
});

describe("payloadFilter in the endpoint inputs", () => {
  const base = { url: "https://clinic.example/hooks", eventTypes: ["claim.*"] };

  it("defaults to null on create and may be null on update (removes it)", () => {
    expect(CreateEndpointInputSchema.parse(base).payloadFilter).toBeNull();
    const update = UpdateEndpointInputSchema.parse({
      endpointId: "ep_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
      payloadFilter: null,
    });
    expect(update.payloadFilter).toBeNull();
  });

  it("reports a bad filter with its path under payloadFilter", () => {
    const result = CreateEndpointInputSchema.safeParse({
      ...base,
      payloadFilter: { "data.total.amount": { $gt: 100, $regex: "1+" } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      [
        "payloadFilter.data.total.amount.$regex",
        "'$regex' is not allowed: a pattern can take exponential time on a crafted value; use $eq or $in",
      ],
    ]);
  });

  it("refuses a filter that is not an object", () => {
    for (const payloadFilter of [[{ type: "claim.paid" }], "type=claim.paid", 1]) {
      expect(CreateEndpointInputSchema.safeParse({ ...base, payloadFilter }).success).toBe(false);
    }
  });
});
