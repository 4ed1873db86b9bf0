import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CHANGE_RULES, type ChangeRule, type Direction, diffSchemas } from "./breaking-changes.ts";
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
