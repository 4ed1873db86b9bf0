import { inbox } from "@claimwire/clinic-db";
import { generateSecret, WebhookVerificationError } from "@claimwire/webhooks";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { storeFeedEvent } from "../reconciliation/store-feed-event.ts";
import { claimLifecycle, createTestClinic, type TestClinic } from "../testing/clinic-fixture.ts";
import { verifyStoredMessage } from "./stored-message-verification.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

const [submitted] = claimLifecycle();
const encoder = new TextEncoder();

describe("verifyStoredMessage", () => {
  it("verifies a stored message again with the endpoint secret, long after its time window", async () => {
    clinic = createTestClinic();
    expect((await clinic.deliver(submitted, { webhookId: "evt_kept" })).status).toBe(204);
    clinic.clock.advance(30 * 24 * 3600_000);
    const verified = verifyStoredMessage(clinic.db, "evt_kept", clinic.secret);
    expect(verified).toMatchObject({ known: true, id: "evt_kept", event: submitted });
  });

  it("keeps the bytes exactly as signed, which the text column cannot give back", async () => {
    clinic = createTestClinic();
    // A byte-order mark and non-ASCII text: valid JSON that a text decoder does not return
    // byte for byte (it drops the mark).
    const text = JSON.stringify({ ...submitted, data: { ...submitted.data, note: "Ærø — ✓" } });
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(text)]);
    expect((await clinic.deliverBody(bytes, { webhookId: "evt_bom" })).status).toBe(204);
    const row = clinic.db.select().from(inbox).where(eq(inbox.webhookId, "evt_bom")).get();
    expect(row?.rawBody).toEqual(Buffer.from(bytes));
    expect(Buffer.from(row?.body ?? "")).not.toEqual(Buffer.from(bytes));
    expect(verifyStoredMessage(clinic.db, "evt_bom", clinic.secret)).toMatchObject({
      known: true,
      id: "evt_bom",
    });
  });

  it("verifies a stored event of a type the clinic does not know", async () => {
    clinic = createTestClinic();
    const body = '{"type":"claim.reopened","timestamp":"2026-11-30T09:00:00.000Z","data":{}}';
    expect((await clinic.deliverBody(body, { webhookId: "evt_new_type" })).status).toBe(204);
    clinic.processor.processPending();
    expect(verifyStoredMessage(clinic.db, "evt_new_type", clinic.secret)).toMatchObject({
      known: false,
      type: "claim.reopened",
    });
  });

  it("fails for a stored body that was altered, and with another secret", async () => {
    clinic = createTestClinic();
    await clinic.deliver(submitted, { webhookId: "evt_altered" });
    const reason = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (error instanceof WebhookVerificationError) return error.reason;
        throw error;
      }
      throw new Error("expected the stored message to fail verification");
    };
    expect(reason(() => verifyStoredMessage(clinic.db, "evt_altered", generateSecret()))).toBe(
      "invalid_signature",
    );
    const altered = JSON.stringify(submitted).replace('"version":1', '"version":2');
    clinic.db
      .update(inbox)
      .set({ rawBody: Buffer.from(altered) })
      .where(eq(inbox.webhookId, "evt_altered"))
      .run();
    expect(reason(() => verifyStoredMessage(clinic.db, "evt_altered", clinic.secret))).toBe(
      "invalid_signature",
    );
  });

  it("says why a message cannot be verified: unknown id, or brought unsigned by the feed", () => {
    clinic = createTestClinic();
    expect(() => verifyStoredMessage(clinic.db, "evt_nope", clinic.secret)).toThrow(
      "No inbox message with webhook-id 'evt_nope'",
    );
    storeFeedEvent(
      clinic.db,
      { id: "evt_feed", type: submitted.type, occurredAt: submitted.timestamp, data: submitted },
      clinic.clock.now(),
    );
    expect(() => verifyStoredMessage(clinic.db, "evt_feed", clinic.secret)).toThrow(
      "the event feed brought it, unsigned",
    );
  });
});
