import { describe, expect, it } from "vitest";
import {
  allowedTransitions,
  CLAIM_TRANSITIONS,
  ClaimStatusSchema,
  canTransition,
  DECISION_STATUSES,
  isTerminal,
  OPEN_STATUSES,
} from "./claim-status.ts";

describe("claim state machine", () => {
  it("follows the documented happy path", () => {
    expect(canTransition("submitted", "in_review", "insurer")).toBe(true);
    expect(canTransition("in_review", "needs_info", "insurer")).toBe(true);
    expect(canTransition("needs_info", "in_review", "insurer")).toBe(true);
    expect(canTransition("in_review", "approved", "insurer")).toBe(true);
    expect(canTransition("approved", "paid", "insurer")).toBe(true);
    expect(canTransition("partially_approved", "paid", "insurer")).toBe(true);
  });

  it("never pays a rejected claim and never skips review", () => {
    expect(canTransition("rejected", "paid", "insurer")).toBe(false);
    expect(canTransition("submitted", "approved", "insurer")).toBe(false);
    expect(canTransition("needs_info", "approved", "insurer")).toBe(false);
  });

  it("lets only the clinic withdraw, and only before a decision", () => {
    expect(allowedTransitions("submitted", "clinic")).toEqual(["withdrawn"]);
    expect(allowedTransitions("needs_info", "clinic")).toEqual(["withdrawn"]);
    expect(canTransition("in_review", "withdrawn", "insurer")).toBe(false);
    expect(allowedTransitions("approved", "clinic")).toEqual([]);
  });

  it("has rejected, paid and withdrawn as its only terminal states", () => {
    const terminal = Object.keys(CLAIM_TRANSITIONS).filter((s) =>
      isTerminal(s as keyof typeof CLAIM_TRANSITIONS),
    );
    expect(terminal.sort()).toEqual(["paid", "rejected", "withdrawn"]);
  });

  it("calls open exactly the statuses the clinic may still withdraw from, none decided", () => {
    const withdrawable = ClaimStatusSchema.options.filter((s) =>
      canTransition(s, "withdrawn", "clinic"),
    );
    expect([...OPEN_STATUSES].sort()).toEqual(withdrawable.sort());
    expect(OPEN_STATUSES.filter((s) => DECISION_STATUSES.includes(s) || isTerminal(s))).toEqual([]);
  });
});
