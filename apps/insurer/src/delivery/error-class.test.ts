import { DeliveryErrorClassSchema } from "@claimwire/contracts";
import { AttemptErrorClassSchema } from "@claimwire/queue";
import { describe, expect, it } from "vitest";

describe("delivery error classes", () => {
  it("are the same in the API (contracts) as in the workers' reports (queue)", () => {
    // contracts may import only zod, so the API states the set itself; a class added on
    // one side only would fail the recorder's insert or the API's output parse.
    expect([...DeliveryErrorClassSchema.options].sort()).toEqual(
      [...AttemptErrorClassSchema.options].sort(),
    );
  });
});
