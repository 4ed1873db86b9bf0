import { describe, expect, it } from "vitest";
import { addBusinessDays, businessDaysBetween, decisionDeadline } from "./business-days.ts";

describe("business days", () => {
  it("skips weekends", () => {
    // Friday 2026-11-27 + 1 business day = Monday 2026-11-30
    const friday = new Date("2026-11-27T10:00:00.000Z");
    expect(addBusinessDays(friday, 1).toISOString()).toBe("2026-11-30T10:00:00.000Z");
  });

  it("puts the decision deadline 20 business days (4 weeks) after submission", () => {
    const monday = new Date("2026-11-30T08:00:00.000Z");
    expect(decisionDeadline(monday).toISOString()).toBe("2026-12-28T08:00:00.000Z");
  });

  it("skips the given holidays", () => {
    const thursday = new Date("2026-12-24T12:00:00.000Z");
    const holidays = new Set(["2026-12-25"]);
    expect(addBusinessDays(thursday, 1, holidays).toISOString()).toBe("2026-12-28T12:00:00.000Z");
  });

  it("counts business days left, negative once overdue", () => {
    const submitted = new Date("2026-11-30T08:00:00.000Z");
    const due = decisionDeadline(submitted);
    expect(businessDaysBetween(submitted, due)).toBe(20);
    expect(businessDaysBetween(new Date("2026-12-21T08:00:00.000Z"), due)).toBe(5);
    expect(businessDaysBetween(new Date("2026-12-30T08:00:00.000Z"), due)).toBe(-2);
  });
});
