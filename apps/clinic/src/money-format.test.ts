import { describe, expect, it } from "vitest";
import { formatMoney } from "./money-format.ts";

describe("money formatting", () => {
  it("formats minor units with the currency's decimals", () => {
    expect(formatMoney(18_500, "EUR")).toBe("€185.00");
    expect(formatMoney(5, "EUR")).toBe("€0.05");
    expect(formatMoney(1_200, "JPY")).toBe("JP¥1,200");
  });
});
