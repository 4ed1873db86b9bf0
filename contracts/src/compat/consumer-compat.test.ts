import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkCompatible } from "./consumer-compat.ts";
import type { JsonSchema } from "./json-schema.ts";

/** Producers are generated for their output side, consumers for what their parse accepts. */
const producer = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "output" }) as JsonSchema;
const consumer = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input" }) as JsonSchema;

const Money = z.object({ amount: z.number().int().nonnegative(), currency: z.string() });
const Status = z.enum(["submitted", "approved", "paid"]);

type Row = {
  why: string;
  producer: z.ZodType;
  consumer: z.ZodType;
  /** [path, a phrase of the problem]; empty when compatible. */
  problems: [string, string][];
};

const rows: Row[] = [
  {
    why: "the consumer reads a subset of the producer's fields",
    producer: z.object({ claimId: z.string(), version: z.number().int(), total: Money }),
    consumer: z.object({ claimId: z.string(), total: z.object({ amount: z.number() }) }),
    problems: [],
  },
  {
    why: "a field the consumer requires is missing (renamed) in the producer",
    producer: z.object({ data: z.object({ approvedTotal: Money }) }),
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
    producer: z.object({ approvedAmount: Money.nullable() }),
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
];

describe("checkCompatible (producer ⊆ consumer)", () => {
  it.each(rows)("$why", (row) => {
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
      checkCompatible(withRef, consumer(z.object({ total: Money.pick({ amount: true }) }))),
    ).toEqual([expect.objectContaining({ path: "total.amount" })]);
  });
});
