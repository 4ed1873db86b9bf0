import { describe, expect, it } from "vitest";
import { formatMoney, toMinorUnits } from "./money-format.ts";

describe("money formatting", () => {
  it("formats minor units with the currency's decimals", () => {
    expect(formatMoney(18_500, "EUR")).toBe("€185.00");
    expect(formatMoney(5, "EUR")).toBe("€0.05");
    expect(formatMoney(1_200, "JPY")).toBe("JP¥1,200");
  });

  it("converts what a person types into minor units without floating-point drift", () => {
    expect(toMinorUnits("12.50", "EUR")).toBe(1250);
    expect(toMinorUnits("12,5", "EUR")).toBe(1250);
    expect(toMinorUnits("0.29", "EUR")).toBe(29);
    expect(toMinorUnits(" 85 ", "EUR")).toBe(8500);
    expect(toMinorUnits("1200", "JPY")).toBe(1200);
  });

  it("refuses amounts it cannot convert exactly", () => {
    for (const text of ["", "abc", "-5", "1.234", "1e3", "12.50 EUR"]) {
      expect(toMinorUnits(text, "EUR")).toBeNull();
    }
    expect(toMinorUnits("12.5", "JPY")).toBeNull();
  });
});
