import { describe, expect, it } from "vitest";
import { createI18n } from "../i18n/i18n.ts";
import {
  formatAmount,
  formatLongDate,
  formatUtc,
  reconciliationLine,
  statusLabel,
  timeLeftLabel,
} from "./format.ts";

describe("formatUtc", () => {
  it("shows an instant to the minute, saying it is UTC, and a dash for none", () => {
    expect(formatUtc("2026-11-30T09:10:42.123Z")).toBe("2026-11-30 09:10 UTC");
    expect(formatUtc(null)).toBe("—");
    expect(formatUtc(undefined)).toBe("—");
  });
});

describe("formatLongDate", () => {
  it("writes the date out for a patient, on the UTC day", () => {
    expect(formatLongDate("2026-11-30T23:30:00Z")).toBe("30 November 2026");
  });
});

describe("statusLabel", () => {
  it("turns a status into words", () => {
    expect(statusLabel("partially_approved")).toBe("partially approved");
  });
});

describe("timeLeftLabel", () => {
  it("counts business days left, due today, or overdue, in the singular for one", () => {
    expect(timeLeftLabel(12)).toBe("12 business days left");
    expect(timeLeftLabel(1)).toBe("1 business day left");
    expect(timeLeftLabel(0)).toBe("due today");
    expect(timeLeftLabel(-1)).toBe("overdue by 1 business day");
    expect(timeLeftLabel(-3)).toBe("overdue by 3 business days");
  });

  it("says the clock has stopped once the insurer decided", () => {
    expect(timeLeftLabel(null)).toBe("no longer running");
  });
});

describe("reconciliationLine", () => {
  const never = { lastRunAt: null, lastRunNew: 0, lastRunError: null, lastSuccessAt: null };

  it("says when reconciliation last ran and how many events it applied", () => {
    expect(reconciliationLine(never)).toEqual({ text: "Last reconciled: never", failed: null });
    expect(
      reconciliationLine({
        ...never,
        lastRunAt: "2026-11-30T09:00:00Z",
        lastSuccessAt: "2026-11-30T09:00:00Z",
        lastRunNew: 1,
      }),
    ).toEqual({ text: "Last reconciled: 2026-11-30 09:00 UTC (1 event applied)", failed: null });
  });

  it("after a failed run, gives the last success and the failure with its error", () => {
    expect(
      reconciliationLine({
        lastRunAt: "2026-11-30T10:00:00Z",
        lastRunNew: 0,
        lastRunError: "insurer unreachable",
        lastSuccessAt: "2026-11-30T09:00:00Z",
      }),
    ).toEqual({
      text: "Last reconciled: 2026-11-30 09:00 UTC",
      failed: "The latest attempt, 2026-11-30 10:00 UTC, failed: insurer unreachable",
    });
    expect(
      reconciliationLine({ ...never, lastRunAt: "2026-11-30T10:00:00Z", lastRunError: "HTTP 401" })
        .text,
    ).toBe("Last reconciled: never");
  });
});

describe("in Russian", () => {
  const t = createI18n("ru").t;

  it("counts working days with Russian plural forms", () => {
    expect(timeLeftLabel(1, t)).toBe("остался 1 рабочий день");
    expect(timeLeftLabel(3, t)).toBe("осталось 3 рабочих дня");
    expect(timeLeftLabel(5, t)).toBe("осталось 5 рабочих дней");
    expect(timeLeftLabel(21, t)).toBe("остался 21 рабочий день");
    expect(timeLeftLabel(-2, t)).toBe("просрочено на 2 рабочих дня");
    expect(timeLeftLabel(0, t)).toBe("срок сегодня");
    expect(timeLeftLabel(null, t)).toBe("срок больше не идёт");
  });

  it("writes dates, amounts and statuses the Russian way", () => {
    expect(formatLongDate("2026-11-30T23:30:00Z", "ru")).toBe("30 ноября 2026 г.");
    expect(formatAmount(18_500, "EUR", "ru").replace(/\s/g, " ")).toBe("185,00 €");
    expect(formatAmount(18_500, "EUR", "en")).toBe("€185.00");
    expect(formatAmount(1_200, "JPY", "en")).toBe("JP¥1,200");
    expect(statusLabel("partially_approved", t)).toBe("одобрено частично");
  });
});
