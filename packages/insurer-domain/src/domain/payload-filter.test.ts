import {
  PAYLOAD_FILTER_OPERATORS,
  type PayloadFilter,
  payloadFilterProblems,
  WEBHOOK_EVENT_EXAMPLES,
  type WebhookEvent,
} from "@claimwire/contracts";
import { describe, expect, it } from "vitest";
import { compilePayloadFilter, toSiftQuery } from "./payload-filter.ts";

const paid = WEBHOOK_EVENT_EXAMPLES["claim.paid"];
const rejected = WEBHOOK_EVENT_EXAMPLES["claim.rejected"];
const disabled = WEBHOOK_EVENT_EXAMPLES["endpoint.disabled"];

/** The example with another claimed total, to test amounts on either side of a bound. */
function paidWithTotal(amount: number): WebhookEvent {
  return { ...paid, data: { ...paid.data, total: { ...paid.data.total, amount } } };
}

function matches(filter: PayloadFilter, event: WebhookEvent): boolean {
  expect(payloadFilterProblems(filter)).toEqual([]);
  return compilePayloadFilter(filter)(event);
}

describe("compilePayloadFilter, on the webhook body as delivered", () => {
  it("lets everything through without a filter or with {}", () => {
    expect(compilePayloadFilter(null)(paid)).toBe(true);
    expect(compilePayloadFilter({})(rejected)).toBe(true);
    // An empty filter inside a list matches everything, as in MongoDB.
    expect(compilePayloadFilter({ $or: [{}, { type: "claim.paid" }] })(rejected)).toBe(true);
  });

  it("compiles a filter once, however many rows carry a copy of it", () => {
    const copy = () => ({ "data.status": { $in: ["paid", "approved"] } });
    const test = compilePayloadFilter(copy());
    expect(compilePayloadFilter(copy())).toBe(test);
    expect(compilePayloadFilter({ "data.status": { $in: ["paid"] } })).not.toBe(test);
    expect(test(paid)).toBe(true);
    expect(test(rejected)).toBe(false);
  });

  it("selects claims over an amount (minor units), strictly", () => {
    const overThousand = { "data.total.amount": { $gt: 100_000 } };
    expect(matches(overThousand, paidWithTotal(100_001))).toBe(true);
    expect(matches(overThousand, paidWithTotal(100_000))).toBe(false);
    // An event without the field (an operational one) does not match a bound.
    expect(matches(overThousand, disabled)).toBe(false);
    // Types are not coerced: a string bound never matches a number.
    expect(matches({ "data.total.amount": { $gt: "1" } }, paidWithTotal(5))).toBe(false);
  });

  it("selects some statuses, with MongoDB's and Convoy's spellings alike", () => {
    const decided = { "data.status": { $in: ["paid", "approved"] } };
    expect(matches(decided, paid)).toBe(true);
    expect(matches(decided, rejected)).toBe(false);
    expect(matches({ "data.status": { $neq: "rejected" } }, paid)).toBe(true);
    expect(matches({ "data.status": { $ne: "rejected" } }, rejected)).toBe(false);
    expect(matches({ "data.paymentReference": { $exist: true } }, paid)).toBe(true);
    expect(matches({ "data.paymentReference": { $exists: true } }, rejected)).toBe(false);
    expect(matches({ "data.status": { $not: { $in: ["rejected"] } } }, rejected)).toBe(false);
    // MongoDB's rule for a missing field: it fails $in and passes $ne and $nin.
    expect(matches({ "data.paymentReference": { $in: ["PAY-1"] } }, rejected)).toBe(false);
    expect(matches({ "data.paymentReference": { $ne: "PAY-1" } }, rejected)).toBe(true);
    expect(matches({ "data.paymentReference": { $nin: ["PAY-1"] } }, rejected)).toBe(true);
  });

  it("reads a nested object as Convoy does: the fields named, others free", () => {
    const filter = { data: { status: "paid", total: { currency: paid.data.total.currency } } };
    expect(matches(filter, paid)).toBe(true);
    expect(matches({ data: { status: "paid", total: { currency: "XXX" } } }, paid)).toBe(false);
    expect(toSiftQuery(filter)).toEqual({
      $and: [{ "data.status": "paid" }, { "data.total.currency": paid.data.total.currency }],
    });
    // $eq still compares the whole object.
    expect(matches({ "data.total": { $eq: { currency: "EUR" } } }, paid)).toBe(false);
  });

  it("matches a list field when it holds the value", () => {
    const [code] = rejected.data.reasonCodes;
    expect(matches({ "data.reasonCodes": code as string }, rejected)).toBe(true);
    expect(matches({ "data.reasonCodes": "NOT_A_CODE" }, rejected)).toBe(false);
  });

  it("combines with $and, $or and $nor", () => {
    const bigOrRejected = {
      $or: [{ "data.total.amount": { $gte: 1_000_000 } }, { type: "claim.rejected" }],
    };
    expect(matches(bigOrRejected, rejected)).toBe(true);
    expect(matches(bigOrRejected, paidWithTotal(999_999))).toBe(false);
    expect(matches({ $nor: [{ type: "claim.paid" }] }, paid)).toBe(false);
    expect(
      matches({ $and: [{ type: "claim.paid" }, { "data.status": { $eq: "paid" } }] }, paid),
    ).toBe(true);
  });

  it("never runs $where or $regex, even if such a filter got into the store", () => {
    // Refused by the contract; if one were stored anyway, sift has no such operation and
    // the event is delivered rather than the status change failing.
    expect(payloadFilterProblems({ $where: "false" })).not.toEqual([]);
    expect(compilePayloadFilter({ $where: "false" })(paid)).toBe(true);
    expect(compilePayloadFilter({ "data.status": { $regex: "^(a+)+$" } })(paid)).toBe(true);
  });

  it("has a sift operation behind every operator the contract allows", () => {
    for (const op of PAYLOAD_FILTER_OPERATORS) {
      const filter = ["$and", "$or", "$nor"].includes(op)
        ? { [op]: [{ type: "claim.paid" }] }
        : {
            "data.status": {
              [op]: op.startsWith("$exist")
                ? true
                : op === "$not"
                  ? { $eq: "paid" }
                  : op.endsWith("in")
                    ? ["paid"]
                    : "paid",
            },
          };
      expect(payloadFilterProblems(filter), op).toEqual([]);
      // A filter sift could not compile would let everything through: prove each can exclude.
      const excludes = [paid, rejected, disabled].some((e) => !compilePayloadFilter(filter)(e));
      expect(excludes, op).toBe(true);
    }
  });
});
