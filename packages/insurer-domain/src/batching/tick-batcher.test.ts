import { describe, expect, it } from "vitest";
import { createTickBatcher } from "./tick-batcher.ts";

describe("createTickBatcher", () => {
  it("hands everything added in one turn to one batch, and each caller its own result", async () => {
    const batches: number[][] = [];
    const double = createTickBatcher(async (inputs: number[]) => {
      batches.push(inputs);
      return inputs.map((n) => n * 2);
    });
    const first = await Promise.all([double(1), double(2), double(3)]);
    const later = await double(4);
    expect(first).toEqual([2, 4, 6]);
    expect(later).toBe(8);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it("fails only the input that cannot succeed when a batch throws", async () => {
    const check = createTickBatcher(async (inputs: number[]) =>
      inputs.map((n) => {
        if (n < 0) throw new Error(`negative: ${n}`);
        return n;
      }),
    );
    const results = await Promise.allSettled([check(1), check(-1), check(2)]);
    expect(results).toEqual([
      { status: "fulfilled", value: 1 },
      { status: "rejected", reason: new Error("negative: -1") },
      { status: "fulfilled", value: 2 },
    ]);
  });
});
