import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./retry-after.ts";

const now = Date.parse("2026-11-28T10:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP-date in each of its three forms, relative to now", () => {
    expect(parseRetryAfter("Sat, 28 Nov 2026 10:01:30 GMT", now)).toBe(90_000);
    expect(parseRetryAfter("Saturday, 28-Nov-26 10:01:30 GMT", now)).toBe(90_000);
    expect(parseRetryAfter("Sat Nov 28 10:01:30 2026", now)).not.toBeNull();
  });

  it("treats a date in the past as retry now", () => {
    expect(parseRetryAfter("Fri, 27 Nov 2026 10:00:00 GMT", now)).toBe(0);
  });

  it("ignores what is neither", () => {
    for (const value of [undefined, "", "soon", "-5", "1.5", "12 minutes", "Someday"]) {
      expect(parseRetryAfter(value, now)).toBeNull();
    }
  });

  it("stays a safe integer for absurd values (the insurer clamps)", () => {
    expect(parseRetryAfter("99999999999999999999", now)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
