import type { DbExecutor } from "@claimwire/clinic-db";
import { inbox } from "@claimwire/clinic-db";
import { type VerifiedWebhookEvent, verifyWebhook } from "@claimwire/sdk";
import { eq } from "drizzle-orm";

/**
 * Verifies an inbox message again, exactly as it was received: its stored bytes, its
 * `webhook-id`, and the timestamp and signature of the delivery that stored it, with the
 * endpoint's key(s) — proof, later, that the insurer sent these bytes. The timestamp
 * window is measured from the time it was signed (a stored message is old by nature).
 * Throws a `WebhookVerificationError` when the signature does not match, and an `Error`
 * when there is no such message or it never was a signed webhook (the feed brought it).
 *
 * @example
 * const { known } = verifyStoredMessage(db, "evt_01J…", registration.secret);
 */
export function verifyStoredMessage(
  db: DbExecutor,
  webhookId: string,
  secret: string | readonly string[],
): VerifiedWebhookEvent {
  const row = db
    .select({
      rawBody: inbox.rawBody,
      source: inbox.source,
      webhookTimestamp: inbox.webhookTimestamp,
      webhookSignature: inbox.webhookSignature,
    })
    .from(inbox)
    .where(eq(inbox.webhookId, webhookId))
    .get();
  if (!row) throw new Error(`No inbox message with webhook-id '${webhookId}'`);
  if (row.source !== "webhook" || row.rawBody === null) {
    throw new Error(
      `Inbox message '${webhookId}' has no signed body to verify: ${
        row.source === "feed"
          ? "the event feed brought it, unsigned"
          : "it was stored before the clinic kept the bytes it received"
      }`,
    );
  }
  return verifyWebhook({
    body: new Uint8Array(row.rawBody),
    headers: {
      "webhook-id": webhookId,
      "webhook-timestamp": String(row.webhookTimestamp),
      "webhook-signature": row.webhookSignature,
    },
    secret,
    now: () => row.webhookTimestamp * 1000,
  });
}
