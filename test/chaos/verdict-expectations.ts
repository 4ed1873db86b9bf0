import { expect } from "vitest";
import type { ClinicVerdict } from "./delivery-checker.ts";

/**
 * The verdict a chaos run must reach at every clinic: every event × endpoint pair
 * delivered and confirmed, one patient notification per claim version, no inbox message
 * failed or taken from the feed, the same final claim states on both sides, and faults
 * really injected at the clinic.
 */
export function expectCleanVerdicts(verdicts: readonly ClinicVerdict[]): void {
  for (const v of verdicts) {
    expect({ clinic: v.clinic, lost: v.lostExamples }).toEqual({ clinic: v.clinic, lost: [] });
    expect(v.lost).toBe(0);
    expect(v.unconfirmed).toBe(0);
    expect(v.expected).toBe(v.events);
    expect(v.deliveredOnce + v.deliveredMoreThanOnce).toBe(v.expected);
    expect(v.doubleNotifications).toBe(0);
    expect(v.missingNotifications).toBe(0);
    expect(v.inboxFailed).toBe(0);
    expect(v.inboxFromFeed).toBe(0);
    expect(v.stateMismatches).toEqual([]);
  }
  for (const v of verdicts) expect(v.injected500 + v.stalled).toBeGreaterThan(0);
}
