import { describe, expect, it } from "vitest";
import { defaultSince, parseRecoverRange, toLocalInput } from "./recover-range.ts";

// vitest.config.ts runs these tests in Europe/Berlin: UTC+1 in winter, UTC+2 in summer.

describe("parseRecoverRange", () => {
  it("reads the typed times as local time and sends UTC instants", () => {
    expect(parseRecoverRange("2026-11-30T10:00", "2026-11-30T18:30")).toEqual({
      ok: true,
      range: { since: "2026-11-30T09:00:00.000Z", until: "2026-11-30T17:30:00.000Z" },
    });
    expect(parseRecoverRange("2026-07-01T10:00", "")).toEqual({
      ok: true,
      range: { since: "2026-07-01T08:00:00.000Z" },
    });
  });

  it("names the field that is not a date and time", () => {
    expect(parseRecoverRange("", "")).toEqual({
      ok: false,
      error: "From must be a date and time.",
    });
    expect(parseRecoverRange("yesterday", "")).toEqual({
      ok: false,
      error: "From must be a date and time.",
    });
    expect(parseRecoverRange("2026-11-30T10:00", "2026-13-01T00:00")).toEqual({
      ok: false,
      error: "Until must be a date and time, or empty for now.",
    });
  });

  it("refuses a range that does not run forwards", () => {
    for (const until of ["2026-11-30T09:59", "2026-11-30T10:00"]) {
      expect(parseRecoverRange("2026-11-30T10:00", until), until).toEqual({
        ok: false,
        error: "Until must be later than From.",
      });
    }
  });
});

describe("toLocalInput and defaultSince", () => {
  it("writes an instant as the local wall time the date field shows, to the minute", () => {
    expect(toLocalInput(Date.parse("2026-11-30T09:05:59Z"))).toBe("2026-11-30T10:05");
    expect(toLocalInput(Date.parse("2026-07-01T22:30:00Z"))).toBe("2026-07-02T00:30");
  });

  it("starts the range 24 hours back", () => {
    expect(defaultSince(Date.parse("2026-12-01T09:00:00Z"))).toBe("2026-11-30T10:00");
  });
});
