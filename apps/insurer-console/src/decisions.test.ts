import type { ClaimStatus } from "@claimwire/contracts";
import { describe, expect, it } from "vitest";
import { decisionOptions, parseReasonCodes, toDecision } from "./decisions.ts";

const claim = (status: ClaimStatus) => ({
  id: "clm_01JDQ7",
  status,
  total: { amount: 18500, currency: "EUR" },
  currency: "EUR",
});
const actions = (status: ClaimStatus) => decisionOptions(claim(status)).map((o) => o.action);
const typed = { reasonCodes: "", approvedAmount: "", paymentReference: "" };

describe("decisionOptions", () => {
  it("offers staff the decisions the claim's status allows, each button named after it", () => {
    expect(actions("submitted")).toEqual(["Start review"]);
    expect(actions("in_review")).toEqual(["Request info", "Approve", "Partial approval", "Reject"]);
    expect(actions("needs_info")).toEqual(["Resume review"]);
    expect(actions("approved")).toEqual(["Mark paid"]);
    expect(actions("partially_approved")).toEqual(["Mark paid"]);
  });

  it("offers nothing once the claim is paid, rejected or withdrawn", () => {
    for (const status of ["paid", "rejected", "withdrawn"] as const) {
      expect(actions(status), status).toEqual([]);
    }
  });

  it("asks each decision only for what it needs, and names the amount a full approval pays", () => {
    const byAction = Object.fromEntries(
      decisionOptions(claim("in_review")).map((o) => [o.action, o]),
    );
    expect(byAction.Approve?.title).toMatch(/^Approve the full .*185\.00/);
    expect(byAction.Approve?.asks).toEqual([]);
    expect(byAction["Partial approval"]?.asks).toEqual(["approvedAmount", "reasonCodes"]);
    expect(byAction.Reject?.asks).toEqual(["reasonCodes"]);
    expect(decisionOptions(claim("approved"))[0]?.asks).toEqual(["paymentReference"]);
  });
});

describe("toDecision", () => {
  it("sends reason codes in capitals, however they were separated", () => {
    expect(
      toDecision(claim("in_review"), "rejected", {
        ...typed,
        reasonCodes: " not_covered,MISSING_REFERRAL  duplicate ",
      }),
    ).toEqual({
      claimId: "clm_01JDQ7",
      to: "rejected",
      reasonCodes: ["NOT_COVERED", "MISSING_REFERRAL", "DUPLICATE"],
    });
  });

  it("sends a partial approval's amount in minor units", () => {
    expect(
      toDecision(claim("in_review"), "partially_approved", {
        ...typed,
        approvedAmount: "92.5",
        reasonCodes: "NOT_COVERED",
      }),
    ).toEqual({
      claimId: "clm_01JDQ7",
      to: "partially_approved",
      approvedAmount: 9250,
      reasonCodes: ["NOT_COVERED"],
    });
  });

  it("sends the payment reference trimmed, and nothing else where nothing is asked", () => {
    expect(
      toDecision(claim("approved"), "paid", { ...typed, paymentReference: " PAY-2026-0093 " }),
    ).toEqual({ claimId: "clm_01JDQ7", to: "paid", paymentReference: "PAY-2026-0093" });
    expect(toDecision(claim("in_review"), "approved", { ...typed, reasonCodes: "X" })).toEqual({
      claimId: "clm_01JDQ7",
      to: "approved",
    });
  });
});

describe("parseReasonCodes", () => {
  it("gives no codes for an empty field", () => {
    expect(parseReasonCodes(" ,  ")).toEqual([]);
  });
});
