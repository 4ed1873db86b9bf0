import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  CHANGE_RULES,
  type ChangeRule,
  checkCompatible,
  type Direction,
  diffSchemas,
} from "./breaking-changes.ts";
import type { JsonSchema, JsonSchemaObject } from "./json-schema.ts";

const obj = (properties: Record<string, JsonSchema>, required = Object.keys(properties)) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});
const str: JsonSchemaObject = { type: "string" };
const int: JsonSchemaObject = { type: "integer" };
const money = obj({ amount: int, currency: str });
const nullable = (schema: JsonSchema) => ({ anyOf: [schema, { type: "null" }] });
const statuses = (...values: string[]) => ({ type: "string", enum: values });
const event = (data: Record<string, JsonSchema>, required?: string[]) =>
  obj({ type: { type: "string", const: "claim.approved" }, data: obj(data, required) });
/** The same object without `additionalProperties: false`: it may carry undeclared fields. */
const open = ({ additionalProperties: _closed, ...schema }: ReturnType<typeof obj>) => schema;

type Row = {
  rule: ChangeRule;
  direction: Direction;
  before: JsonSchema;
  after: JsonSchema;
  path: string;
  breaking: boolean;
  why: string;
};

// One or more rows per rule, both directions where the verdict differs.
const rows: Row[] = [
  {
    why: "a field of an event is renamed (removed + added)",
    rule: "field-removed",
    direction: "output",
    before: event({ approvedAmount: money }),
    after: event({ approvedTotal: money }),
    path: "data.approvedAmount",
    breaking: true,
  },
  {
    why: "an optional response field is removed: readers of it lose it",
    rule: "field-removed",
    direction: "output",
    before: obj({ id: str, note: str }, ["id"]),
    after: obj({ id: str }),
    path: "note",
    breaking: true,
  },
  {
    why: "a request field is removed: zod strips what senders still send",
    rule: "field-removed",
    direction: "input",
    before: { type: "object", properties: { id: str, note: str }, required: ["id"] },
    after: { type: "object", properties: { id: str }, required: ["id"] },
    path: "note",
    breaking: false,
  },
  {
    why: "a response field changes type",
    rule: "type-changed",
    direction: "output",
    before: obj({ version: int }),
    after: obj({ version: str }),
    path: "version",
    breaking: true,
  },
  {
    why: "a response integer becomes a number (may now have decimals)",
    rule: "type-changed",
    direction: "output",
    before: obj({ amount: int }),
    after: obj({ amount: { type: "number" } }),
    path: "amount",
    breaking: true,
  },
  {
    why: "a request number becomes an integer: senders of 1.5 are refused",
    rule: "type-changed",
    direction: "input",
    before: obj({ amount: { type: "number" } }),
    after: obj({ amount: int }),
    path: "amount",
    breaking: true,
  },
  {
    why: "a response number becomes an integer: readers still get numbers",
    rule: "type-changed",
    direction: "output",
    before: obj({ amount: { type: "number" } }),
    after: obj({ amount: int }),
    path: "amount",
    breaking: false,
  },
  {
    why: "a response field becomes nullable",
    rule: "became-nullable",
    direction: "output",
    before: obj({ decidedAt: str }),
    after: obj({ decidedAt: nullable(str) }),
    path: "decidedAt",
    breaking: true,
  },
  {
    why: "a request field accepts null too",
    rule: "became-nullable",
    direction: "input",
    before: obj({ note: str }),
    after: obj({ note: nullable(str) }),
    path: "note",
    breaking: false,
  },
  {
    why: "a request field no longer accepts null",
    rule: "no-longer-nullable",
    direction: "input",
    before: obj({ note: nullable(str) }),
    after: obj({ note: str }),
    path: "note",
    breaking: true,
  },
  {
    why: "a response field is never null any more",
    rule: "no-longer-nullable",
    direction: "output",
    before: obj({ note: nullable(str) }),
    after: obj({ note: str }),
    path: "note",
    breaking: false,
  },
  {
    why: "a response field becomes optional",
    rule: "field-became-optional",
    direction: "output",
    before: obj({ id: str, total: money }),
    after: obj({ id: str, total: money }, ["id"]),
    path: "total",
    breaking: true,
  },
  {
    why: "a request field becomes optional",
    rule: "field-became-optional",
    direction: "input",
    before: obj({ id: str, limit: int }),
    after: obj({ id: str, limit: int }, ["id"]),
    path: "limit",
    breaking: false,
  },
  {
    why: "a request field becomes required",
    rule: "field-became-required",
    direction: "input",
    before: obj({ id: str, limit: int }, ["id"]),
    after: obj({ id: str, limit: int }),
    path: "limit",
    breaking: true,
  },
  {
    why: "a response field is now always sent",
    rule: "field-became-required",
    direction: "output",
    before: obj({ id: str, note: str }, ["id"]),
    after: obj({ id: str, note: str }),
    path: "note",
    breaking: false,
  },
  {
    why: "a request gains a required field",
    rule: "required-field-added",
    direction: "input",
    before: obj({ id: str }),
    after: obj({ id: str, reason: str }),
    path: "reason",
    breaking: true,
  },
  {
    why: "a response gains a required field",
    rule: "required-field-added",
    direction: "output",
    before: obj({ id: str }),
    after: obj({ id: str, reason: str }),
    path: "reason",
    breaking: false,
  },
  {
    why: "an event gains an optional field",
    rule: "field-added",
    direction: "output",
    before: event({ version: int }),
    after: event({ version: int, note: str }, ["version"]),
    path: "data.note",
    breaking: false,
  },
  {
    why: "an event published closed is published open: readers must ignore new fields anyway",
    rule: "extra-fields-allowed",
    direction: "output",
    before: event({ version: int }),
    after: open(event({ version: int })),
    path: "(root)",
    breaking: false,
  },
  {
    why: "a request that refuses unknown fields now ignores them",
    rule: "extra-fields-allowed",
    direction: "input",
    before: obj({ id: str }),
    after: open(obj({ id: str })),
    path: "(root)",
    breaking: false,
  },
  {
    why: "a request now refuses fields it does not declare: senders of one are refused",
    rule: "extra-fields-refused",
    direction: "input",
    before: open(obj({ id: str })),
    after: obj({ id: str }),
    path: "(root)",
    breaking: true,
  },
  {
    why: "a response is published closed: readers simply get no other fields",
    rule: "extra-fields-refused",
    direction: "output",
    before: open(obj({ id: str })),
    after: obj({ id: str }),
    path: "(root)",
    breaking: false,
  },
  {
    why: "a request gains an optional field",
    rule: "field-added",
    direction: "input",
    before: obj({ id: str }),
    after: obj({ id: str, note: str }, ["id"]),
    path: "note",
    breaking: false,
  },
  {
    why: "an enum that readers receive loses a value",
    rule: "enum-value-removed",
    direction: "output",
    before: obj({ status: statuses("submitted", "paid") }),
    after: obj({ status: statuses("submitted") }),
    path: "status",
    breaking: true,
  },
  {
    why: "an enum that senders send loses a value",
    rule: "enum-value-removed",
    direction: "input",
    before: obj({ to: statuses("approved", "rejected") }),
    after: obj({ to: statuses("approved") }),
    path: "to",
    breaking: true,
  },
  {
    why: "an enum that readers receive gains a value (readers ignore what they do not know)",
    rule: "enum-value-added",
    direction: "output",
    before: obj({ eventTypes: { type: "array", items: statuses("claim.paid") } }),
    after: obj({
      eventTypes: { type: "array", items: statuses("claim.paid", "endpoint.disabled") },
    }),
    path: "eventTypes[]",
    breaking: false,
  },
  {
    why: "an enum that senders send gains a value",
    rule: "enum-value-added",
    direction: "input",
    before: obj({ to: statuses("approved") }),
    after: obj({ to: statuses("approved", "rejected") }),
    path: "to",
    breaking: false,
  },
  {
    why: "a response value that was always the same now varies",
    rule: "enum-value-added",
    direction: "output",
    before: obj({ status: { type: "string", const: "approved" } }),
    after: obj({ status: statuses("approved", "partially_approved") }),
    path: "status",
    breaking: true,
  },
  {
    why: "a response enum becomes any string",
    rule: "enum-removed",
    direction: "output",
    before: obj({ status: statuses("submitted", "paid") }),
    after: obj({ status: str }),
    path: "status",
    breaking: true,
  },
  {
    why: "a request enum becomes any string",
    rule: "enum-removed",
    direction: "input",
    before: obj({ to: statuses("approved") }),
    after: obj({ to: str }),
    path: "to",
    breaking: false,
  },
  {
    why: "a free request string becomes an enum",
    rule: "enum-added",
    direction: "input",
    before: obj({ reason: str }),
    after: obj({ reason: statuses("gone", "failing") }),
    path: "reason",
    breaking: true,
  },
  {
    why: "a free response string becomes an enum",
    rule: "enum-added",
    direction: "output",
    before: obj({ reason: str }),
    after: obj({ reason: statuses("gone", "failing") }),
    path: "reason",
    breaking: false,
  },
  {
    why: "an event's status const changes",
    rule: "const-changed",
    direction: "output",
    before: event({ status: { type: "string", const: "approved" } }),
    after: event({ status: { type: "string", const: "accepted" } }),
    path: "data.status",
    breaking: true,
  },
  {
    why: "a response list may now be empty",
    rule: "constraint-loosened",
    direction: "output",
    before: obj({ reasonCodes: { type: "array", items: str, minItems: 1 } }),
    after: obj({ reasonCodes: { type: "array", items: str } }),
    path: "reasonCodes",
    breaking: true,
  },
  {
    why: "a request accepts longer strings",
    rule: "constraint-loosened",
    direction: "input",
    before: obj({ description: { type: "string", maxLength: 500 } }),
    after: obj({ description: { type: "string", maxLength: 1000 } }),
    path: "description",
    breaking: false,
  },
  {
    why: "a request accepts fewer items",
    rule: "constraint-tightened",
    direction: "input",
    before: obj({ lines: { type: "array", items: str, maxItems: 50 } }),
    after: obj({ lines: { type: "array", items: str, maxItems: 10 } }),
    path: "lines",
    breaking: true,
  },
  {
    why: "a response number gets a lower bound",
    rule: "constraint-tightened",
    direction: "output",
    before: obj({ version: int }),
    after: obj({ version: { type: "integer", minimum: 1 } }),
    path: "version",
    breaking: false,
  },
  {
    why: "a response id's pattern changes",
    rule: "pattern-changed",
    direction: "output",
    before: obj({ secret: { type: "string", pattern: "^whsec_" } }),
    after: obj({ secret: { type: "string", pattern: "^(whsec_|whpk_)" } }),
    path: "secret",
    breaking: true,
  },
  {
    why: "a request field gains a pattern",
    rule: "pattern-changed",
    direction: "input",
    before: obj({ ref: str }),
    after: obj({ ref: { type: "string", pattern: "^[A-Z]+$" } }),
    path: "ref",
    breaking: true,
  },
  {
    why: "a response field gains a pattern",
    rule: "pattern-changed",
    direction: "output",
    before: obj({ ref: str }),
    after: obj({ ref: { type: "string", pattern: "^[A-Z]+$" } }),
    path: "ref",
    breaking: false,
  },
  {
    why: "a response timestamp loses its format",
    rule: "format-changed",
    direction: "output",
    before: obj({ at: { type: "string", format: "date-time" } }),
    after: obj({ at: str }),
    path: "at",
    breaking: true,
  },
  {
    why: "a discriminated response variant disappears",
    rule: "variant-removed",
    direction: "output",
    before: {
      oneOf: [
        obj({ role: { type: "string", const: "clinic" }, clinicId: str }),
        obj({ role: { type: "string", const: "insurer" } }),
      ],
    },
    after: { oneOf: [obj({ role: { type: "string", const: "clinic" }, clinicId: str })] },
    path: "(root)",
    breaking: true,
  },
  {
    why: "a discriminated request variant disappears",
    rule: "variant-removed",
    direction: "input",
    before: {
      oneOf: [
        obj({ to: { type: "string", const: "approved" } }),
        obj({ to: { type: "string", const: "paid" }, ref: str }),
      ],
    },
    after: { oneOf: [obj({ to: { type: "string", const: "approved" } })] },
    path: "(root)",
    breaking: true,
  },
  {
    why: "a discriminated response variant is added",
    rule: "variant-added",
    direction: "output",
    before: { oneOf: [obj({ role: { type: "string", const: "clinic" } })] },
    after: {
      oneOf: [
        obj({ role: { type: "string", const: "clinic" } }),
        obj({ role: { type: "string", const: "auditor" } }),
      ],
    },
    path: "(root)",
    breaking: false,
  },
  {
    why: "a response field may now be a number as well as a string (type widened)",
    rule: "variant-added",
    direction: "output",
    before: obj({ ref: str }),
    after: obj({ ref: { anyOf: [str, int] } }),
    path: "ref",
    breaking: true,
  },
];

describe("diffSchemas", () => {
  it.each(rows)(
    "$rule ($direction): $why",
    ({ rule, direction, before, after, path, breaking }) => {
      const changes = diffSchemas(before, after, direction);
      const found = changes.filter((c) => c.rule === rule);
      expect(found, JSON.stringify(changes, null, 2)).toHaveLength(1);
      expect(found[0]).toMatchObject({ path, breaking });
    },
  );

  it("has a table row for every rule", () => {
    const covered = new Set(rows.map((r) => r.rule));
    expect(CHANGE_RULES.filter((r) => !covered.has(r))).toEqual([]);
  });

  it("finds nothing between a schema and itself, or a change of description only", () => {
    const schema = event({ approvedAmount: money });
    expect(diffSchemas(schema, structuredClone(schema), "output")).toEqual([]);
    expect(
      diffSchemas(
        { ...money, description: "old" },
        { ...money, description: "new", $comment: "x" },
        "output",
      ),
    ).toEqual([]);
  });

  it("names the likely new name of a renamed field", () => {
    const [removed] = diffSchemas(
      event({ approvedAmount: money }),
      event({ approvedTotal: money }),
      "output",
    ).filter((c) => c.rule === "field-removed");
    expect(removed?.message).toContain("renamed to 'approvedTotal'?");
  });

  it("names a renamed field even when its object was opened since the release", () => {
    const [removed] = diffSchemas(
      event({ approvedAmount: money }),
      open(event({ approvedTotal: open(money) })),
      "output",
    ).filter((c) => c.rule === "field-removed");
    expect(removed?.message).toContain("renamed to 'approvedTotal'?");
  });

  it("compares the matching variants of a discriminated union field by field", () => {
    const before = z.toJSONSchema(
      z.discriminatedUnion("role", [
        z.object({ role: z.literal("clinic"), clinicId: z.string() }),
        z.object({ role: z.literal("insurer") }),
      ]),
    ) as JsonSchema;
    const after = z.toJSONSchema(
      z.discriminatedUnion("role", [
        z.object({ role: z.literal("clinic"), clinicId: z.number() }),
        z.object({ role: z.literal("insurer") }),
      ]),
    ) as JsonSchema;
    expect(diffSchemas(before, after, "output")).toEqual([
      expect.objectContaining({
        rule: "type-changed",
        path: '[role="clinic"].clinicId',
        breaking: true,
      }),
    ]);
  });

  it("follows $refs", () => {
    const withRef = (amount: JsonSchema) => ({
      $defs: { Money: obj({ amount, currency: str }) },
      ...obj({ total: { $ref: "#/$defs/Money" } }),
    });
    expect(diffSchemas(withRef(int), withRef(str), "output")).toEqual([
      expect.objectContaining({ rule: "type-changed", path: "total.amount", breaking: true }),
    ]);
  });
});

// checkCompatible is the same walk as an input change from producer to consumer, worded
// for the consumer: the rows below pin its verdicts and its words.
/** Producers are generated for their output side, consumers for what their parse accepts. */
const producer = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "output" }) as JsonSchema;
const consumer = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input" }) as JsonSchema;

const MoneyInput = z.object({ amount: z.number().int().nonnegative(), currency: z.string() });
const Status = z.enum(["submitted", "approved", "paid"]);

type CompatRow = {
  why: string;
  producer: z.ZodType;
  consumer: z.ZodType;
  /** [path, a phrase of the problem]; empty when compatible. */
  problems: [string, string][];
};

const compatRows: CompatRow[] = [
  {
    why: "the consumer reads a subset of the producer's fields",
    producer: z.object({ claimId: z.string(), version: z.number().int(), total: MoneyInput }),
    consumer: z.object({ claimId: z.string(), total: z.object({ amount: z.number() }) }),
    problems: [],
  },
  {
    why: "a field the consumer requires is missing (renamed) in the producer",
    producer: z.object({ data: z.object({ approvedTotal: MoneyInput }) }),
    consumer: z.object({ data: z.object({ approvedAmount: z.object({ amount: z.number() }) }) }),
    problems: [["data.approvedAmount", "the producer does not send it"]],
  },
  {
    why: "a field the consumer requires is optional in the producer",
    producer: z.object({ paymentReference: z.string().optional() }),
    consumer: z.object({ paymentReference: z.string() }),
    problems: [["paymentReference", "may leave it out (optional)"]],
  },
  {
    why: "the producer may send null where the consumer needs a value",
    producer: z.object({ decidedAt: z.string().nullable() }),
    consumer: z.object({ decidedAt: z.string() }),
    problems: [["decidedAt", "may send null"]],
  },
  {
    why: "a nullable producer field read by a nullable consumer field",
    producer: z.object({ approvedAmount: MoneyInput.nullable() }),
    consumer: z.object({ approvedAmount: z.object({ amount: z.number() }).nullable() }),
    problems: [],
  },
  {
    why: "incompatible types",
    producer: z.object({ version: z.string() }),
    consumer: z.object({ version: z.number() }),
    problems: [["version", "may send string; the consumer accepts only number"]],
  },
  {
    why: "an integer fits a number, not the other way round",
    producer: z.object({ a: z.number().int(), b: z.number() }),
    consumer: z.object({ a: z.number(), b: z.number().int() }),
    problems: [["b", "may send number; the consumer accepts only integer"]],
  },
  {
    why: "the producer's enum is within the consumer's",
    producer: z.object({ status: z.enum(["submitted", "paid"]) }),
    consumer: z.object({ status: Status }),
    problems: [],
  },
  {
    why: "the producer's enum was widened beyond the consumer's",
    producer: z.object({ status: z.enum(["submitted", "paid", "exploded"]) }),
    consumer: z.object({ status: Status }),
    problems: [["status", 'may send "exploded", which the consumer does not accept']],
  },
  {
    why: "the producer sends any string where the consumer takes an enum",
    producer: z.object({ status: z.string() }),
    consumer: z.object({ status: Status }),
    problems: [["status", "the producer may send any string"]],
  },
  {
    why: "consts must be equal",
    producer: z.object({ type: z.literal("claim.approved") }),
    consumer: z.object({ type: z.literal("claim.paid") }),
    problems: [["type", '"claim.approved", which the consumer does not accept']],
  },
  {
    why: "a const producer value within a consumer enum",
    producer: z.object({ status: z.literal("approved") }),
    consumer: z.object({ status: Status }),
    problems: [],
  },
  {
    why: "nested arrays of objects are compared item by item",
    producer: z.object({ items: z.array(z.object({ id: z.string(), version: z.string() })) }),
    consumer: z.object({ items: z.array(z.object({ id: z.string(), version: z.number() })) }),
    problems: [["items[].version", "may send string"]],
  },
  {
    why: "the consumer needs a non-empty list; the producer may send an empty one",
    producer: z.object({ reasonCodes: z.array(z.string()) }),
    consumer: z.object({ reasonCodes: z.array(z.string()).min(1) }),
    problems: [
      ["reasonCodes", "the consumer requires minItems 1; the producer guarantees no lower bound"],
    ],
  },
  {
    why: "string and number bounds: the producer's must be within the consumer's",
    producer: z.object({ code: z.string().max(64), version: z.number().int().min(0) }),
    consumer: z.object({ code: z.string().max(32), version: z.number().int().min(1) }),
    problems: [
      ["code", "the consumer requires maxLength 32; the producer guarantees maxLength 64"],
      ["version", "the consumer requires minimum 1; the producer guarantees minimum 0"],
    ],
  },
  {
    why: "identical patterns are compatible; different ones are not proven",
    producer: z.object({ id: z.string().regex(/^clm_/), ref: z.string().regex(/^[A-Z]+$/) }),
    consumer: z.object({ id: z.string().regex(/^clm_/), ref: z.string().regex(/^[A-Z0-9]+$/) }),
    problems: [["ref", "only identical patterns are proven compatible"]],
  },
  {
    why: "producer enum values are tested against the consumer's pattern",
    producer: z.object({ code: z.enum(["MISSING_REFERRAL", "late"]) }),
    consumer: z.object({ code: z.string().regex(/^[A-Z_]+$/) }),
    problems: [["code", '"late", which does not match']],
  },
  {
    why: "every branch of a producer union must be acceptable",
    producer: z.discriminatedUnion("role", [
      z.object({ role: z.literal("clinic"), clinicId: z.string() }),
      z.object({ role: z.literal("insurer") }),
    ]),
    consumer: z.object({ role: z.enum(["clinic", "insurer"]) }),
    problems: [],
  },
  {
    why: "a producer branch the consumer cannot take",
    producer: z.discriminatedUnion("role", [
      z.object({ role: z.literal("clinic"), clinicId: z.string() }),
      z.object({ role: z.literal("auditor") }),
    ]),
    consumer: z.object({ role: z.enum(["clinic", "insurer"]) }),
    problems: [["role", '"auditor"']],
  },
  {
    why: "a consumer union accepts a producer value that fits one of its branches",
    producer: z.object({ secret: z.string().startsWith("whsec_") }),
    consumer: z.object({ secret: z.union([z.string(), z.number()]) }),
    problems: [],
  },
  {
    why: "a strict consumer object rejects the producer's extra fields",
    producer: z.object({ id: z.string(), url: z.string() }),
    consumer: z.strictObject({ id: z.string() }),
    problems: [["url", "the consumer rejects properties it does not know"]],
  },
  {
    why: "records are compared value by value",
    producer: z.object({ headers: z.record(z.string(), z.string()) }),
    consumer: z.object({ headers: z.record(z.string(), z.number()) }),
    problems: [["headers.*", "may send string"]],
  },
  {
    why: "an optional consumer field the producer never declares (closed object) is fine",
    producer: z.object({ id: z.string() }),
    consumer: z.object({ id: z.string(), note: z.string().optional() }),
    problems: [],
  },
  {
    why: "a strict consumer object fails an open producer, though it reads every declared field",
    producer: z.looseObject({ id: z.string(), data: z.looseObject({ claimId: z.string() }) }),
    consumer: z.object({ id: z.string(), data: z.strictObject({ claimId: z.string() }) }),
    problems: [["data", "the consumer rejects properties it does not know"]],
  },
  {
    why: "an open consumer object takes an open producer",
    producer: z.looseObject({ id: z.string() }),
    consumer: z.object({ id: z.string() }),
    problems: [],
  },
];

describe("checkCompatible (producer ⊆ consumer)", () => {
  it.each(compatRows)("$why", (row) => {
    const found = checkCompatible(producer(row.producer), consumer(row.consumer));
    expect(found.map((f) => f.path)).toEqual(row.problems.map(([path]) => path));
    row.problems.forEach(([, phrase], i) => {
      expect(found[i]?.problem).toContain(phrase);
    });
  });

  it("takes a date-time written the same way on both sides", () => {
    const at = z.object({ at: z.iso.datetime() });
    expect(checkCompatible(producer(at), consumer(at))).toEqual([]);
    expect(checkCompatible(producer(z.object({ at: z.string() })), consumer(at))).toEqual([
      expect.objectContaining({ path: "at" }),
      expect.objectContaining({ path: "at", problem: expect.stringContaining("format") }),
    ]);
  });

  it("accepts anything for a consumer that reads nothing, and follows $refs", () => {
    expect(checkCompatible({ type: "string" }, {})).toEqual([]);
    const withRef = {
      $defs: {
        Money: { type: "object", properties: { amount: { type: "string" } }, required: ["amount"] },
      },
      type: "object",
      properties: { total: { $ref: "#/$defs/Money" } },
      required: ["total"],
    };
    expect(
      checkCompatible(withRef, consumer(z.object({ total: MoneyInput.pick({ amount: true }) }))),
    ).toEqual([expect.objectContaining({ path: "total.amount" })]);
  });
});
