import { describe, expect, it } from "vitest";
import { changeAnnouncement } from "./change-announcement.ts";

describe("changeAnnouncement", () => {
  it("announces a claim's new status in words", () => {
    expect(
      changeAnnouncement({
        kind: "claim",
        claimId: "clm_01JDQ7",
        clinicReference: "INV-2026-0042",
        status: "partially_approved",
        version: 3,
      }),
    ).toBe("Claim INV-2026-0042 is now partially approved.");
  });

  it("announces a quarantined message, and stays quiet about retries and reconciliation", () => {
    const inbox = (state: "retrying" | "quarantined" | "requeued") =>
      changeAnnouncement({ kind: "inbox", webhookId: "msg_01JDQ7", state });
    expect(inbox("quarantined")).toBe("A webhook message was quarantined.");
    expect(inbox("retrying")).toBeNull();
    expect(inbox("requeued")).toBeNull();
    expect(changeAnnouncement({ kind: "reconciliation" })).toBeNull();
  });
});
