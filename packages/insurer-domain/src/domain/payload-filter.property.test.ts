import { payloadFilterProblems, WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { siftTester } from "./payload-filter.ts";

const events = Object.values(WEBHOOK_EVENT_EXAMPLES);

const scalar = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const fieldName = fc.constantFrom(
  "type",
  "data",
  "status",
  "data.status",
  "data.total.amount",
  "data.reasonCodes",
  "timestamp",
  "data..x",
  "constructor",
);
const operator = fc.constantFrom(
  "$eq",
  "$ne",
  "$neq",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$in",
  "$nin",
  "$exists",
  "$exist",
  "$not",
  "$and",
  "$or",
  "$nor",
  "$regex",
  "$where",
  "$size",
  "$elemMatch",
  "$foo",
);

/** Filters from the grammar's pieces, good and bad mixed: most are refused, many are not. */
const { filter } = fc.letrec((tie) => ({
  filter: fc.dictionary(fc.oneof(fieldName, operator), tie("value"), { maxKeys: 3 }),
  value: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    scalar,
    fc.array(fc.oneof(scalar, tie("filter")), { maxLength: 3 }),
    tie("filter"),
    tie("operators"),
  ),
  operators: fc.dictionary(
    operator,
    fc.oneof(scalar, fc.array(scalar, { minLength: 1, maxLength: 3 }), tie("operators")),
    { minKeys: 1, maxKeys: 2 },
  ),
}));

describe("the contract's check and sift agree", () => {
  it("every filter the contract accepts compiles in sift and runs on every event type", () => {
    let accepted = 0;
    fc.assert(
      fc.property(filter, (candidate) => {
        if (payloadFilterProblems(candidate).length > 0) return;
        accepted++;
        const test = siftTester(candidate);
        for (const event of events) expect(typeof test(event)).toBe("boolean");
      }),
      { numRuns: 2_000 },
    );
    // The generator must reach the accepting side for the property to say anything.
    expect(accepted).toBeGreaterThan(100);
  });
});
