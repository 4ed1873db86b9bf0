import { describe, expect, it } from "vitest";
import { formatMoney, minorUnitDigits } from "./money.ts";

describe("money formatting", () => {
  it("formats minor units with the currency's decimals", () => {
    expect(formatMoney(18_500, "EUR")).toBe("€185.00");
    expect(formatMoney(5, "EUR")).toBe("€0.05");
    expect(formatMoney(1_200, "JPY")).toBe("JP¥1,200");
  });

  it("formats in another locale when asked, still by the currency's decimals", () => {
    expect(formatMoney(18_500, "EUR", "de-DE")).toMatch(/^185,00\s€$/);
    expect(formatMoney(1_200, "JPY", "de-DE")).toMatch(/^1\.200\s¥$/);
  });

  it("knows each currency's minor-unit digits, and assumes 2 for a code Intl does not know", () => {
    expect(minorUnitDigits("EUR")).toBe(2);
    expect(minorUnitDigits("JPY")).toBe(0);
    expect(minorUnitDigits("not a code")).toBe(2);
  });
});
