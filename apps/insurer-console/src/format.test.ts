import { describe, expect, it } from "vitest";
import {
  amountStep,
  claimStatusLabel,
  describeFailure,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatPayloadFilter,
  formatPercent,
  plural,
  timeLeft,
  toMinorUnits,
} from "./format.ts";

describe("formatMoney", () => {
  it("shows minor units as the currency's amount, in the reader's locale", () => {
    expect(formatMoney({ amount: 18500, currency: "EUR" }, "en-IE")).toBe("€185.00");
    expect(formatMoney({ amount: 18500, currency: "EUR" }, "de-DE")).toBe("185,00\u00a0€");
    expect(formatMoney({ amount: 1200, currency: "JPY" }, "en-US")).toBe("¥1,200");
  });
});

describe("toMinorUnits and amountStep", () => {
  it("turns an amount typed in major units into the API's minor units, without float residue", () => {
    expect(toMinorUnits("92.5", "EUR")).toBe(9250);
    expect(toMinorUnits("0.29", "EUR")).toBe(29);
    expect(toMinorUnits("1200", "JPY")).toBe(1200);
  });

  it("steps the amount field by the currency's smallest unit", () => {
    expect(amountStep("EUR")).toBe("0.01");
    expect(amountStep("JPY")).toBe("1");
  });
});

describe("formatPercent", () => {
  it("shows a success rate to one decimal, whole at the ends, and a dash without attempts", () => {
    expect(formatPercent(0.5)).toBe("50.0 %");
    expect(formatPercent(2 / 3)).toBe("66.7 %");
    expect(formatPercent(1)).toBe("100 %");
    expect(formatPercent(0)).toBe("0 %");
    expect(formatPercent(null)).toBe("—");
  });
});

describe("plural", () => {
  it("counts in the singular for one, with the plural given for irregular nouns", () => {
    expect(plural(1, "endpoint")).toBe("1 endpoint");
    expect(plural(0, "endpoint")).toBe("0 endpoints");
    expect(plural(1, "delivery", "deliveries")).toBe("1 delivery");
    expect(plural(2, "delivery", "deliveries")).toBe("2 deliveries");
  });
});

describe("formatDuration", () => {
  const minutes = 60_000;
  const hours = 60 * minutes;
  const days = 24 * hours;

  it("gives the two largest units, leaving out zeros", () => {
    expect(formatDuration(3 * days + 4 * hours + 59 * minutes)).toBe("3 d 4 h");
    expect(formatDuration(12 * minutes + 30_000)).toBe("12 min");
    expect(formatDuration(2 * hours + 30_000)).toBe("2 h");
    expect(formatDuration(1 * days + 30 * minutes)).toBe("1 d");
    expect(formatDuration(30_000)).toBe("< 1 min");
  });

  it("shows how long ago for a negative duration", () => {
    expect(formatDuration(-(1 * days + 5 * hours))).toBe("1 d 5 h");
  });
});

describe("timeLeft", () => {
  // Monday 30 November 2026, 09:00 UTC.
  const monday = Date.parse("2026-11-30T09:00:00Z");

  it("counts business days to the deadline, with the clock time beside", () => {
    expect(timeLeft("2026-12-04T09:00:00Z", monday)).toEqual({
      text: "4 business days left (4 d)",
      overdue: false,
    });
    // Over a weekend: three calendar days, one business day.
    expect(timeLeft("2026-11-30T09:00:00Z", Date.parse("2026-11-27T09:00:00Z"))).toEqual({
      text: "1 business day left (3 d)",
      overdue: false,
    });
  });

  it("says by how much a deadline is overdue", () => {
    expect(timeLeft("2026-11-27T04:00:00Z", monday)).toEqual({
      text: "overdue by 1 business day (3 d 5 h)",
      overdue: true,
    });
  });
});

describe("describeFailure", () => {
  it("names the HTTP status and the error, without saying the status twice", () => {
    expect(describeFailure(500, "read-only")).toBe("HTTP 500: read-only");
    expect(describeFailure(404, "HTTP 404")).toBe("HTTP 404");
    expect(describeFailure(404, null)).toBe("HTTP 404");
    expect(describeFailure(null, "connection refused")).toBe("connection refused");
    expect(describeFailure(null, null)).toBe("—");
  });
});

describe("claimStatusLabel and formatDateTime", () => {
  it("word statuses for staff, and show a dash for a time that has not come", () => {
    expect(claimStatusLabel("partially_approved")).toBe("Partially approved");
    expect(claimStatusLabel("needs_info")).toBe("Needs info");
    expect(formatDateTime(null)).toBe("—");
  });
});

describe("formatPayloadFilter", () => {
  it("shows the filter as indented JSON, operators and dotted paths as written", () => {
    expect(formatPayloadFilter({ "data.total.amount": { $gt: 100000 } })).toBe(
      '{\n  "data.total.amount": {\n    "$gt": 100000\n  }\n}',
    );
  });
});
