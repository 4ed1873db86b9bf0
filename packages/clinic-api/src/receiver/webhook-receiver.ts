import type { ClinicDatabase } from "@claimwire/clinic-db";
import { endpointRegistration, inbox } from "@claimwire/clinic-db";
import { isClaimEvent } from "@claimwire/contracts";
import { verifyWebhook, WebhookVerificationError } from "@claimwire/sdk";
import { traceRequests } from "@claimwire/service";
import { annotateActiveSpan, currentTraceparent } from "@claimwire/telemetry";
import { eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import { WEBHOOK_PATH } from "../registration/ensure-endpoint.ts";

/** Larger than any claim event; a bigger body is not ours. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

export type WebhookReceiverOptions = {
  db: ClinicDatabase;
  logger: Logger;
  clock: Clock;
  /** Called after a new delivery is committed to the inbox (wakes the processor). */
  onStored: () => void;
};

/**
 * `POST /webhooks/insurer`: verify, store in the inbox keyed by `webhook-id`, answer 204
 * once committed. Processing happens later, so the insurer is never kept waiting on it,
 * and a rejected delivery writes nothing. An event type this clinic does not know (the
 * insurer added it later) is stored and acknowledged like any other; the processor marks
 * it ignored. Answering it 400 would have it retried for days and the endpoint disabled.
 */
export function createWebhookReceiver({ db, logger, clock, onStored }: WebhookReceiverOptions) {
  // Every POST runs these: prepared once, not built by the query builder per request.
  const registrationNow = db.select().from(endpointRegistration).prepare();
  const storeNew = db
    .insert(inbox)
    .values({
      webhookId: sql.placeholder("webhookId"),
      eventType: sql.placeholder("eventType"),
      claimId: sql.placeholder("claimId"),
      version: sql.placeholder("version"),
      body: sql.placeholder("body"),
      rawBody: sql.placeholder("rawBody"),
      webhookTimestamp: sql.placeholder("webhookTimestamp"),
      webhookSignature: sql.placeholder("webhookSignature"),
      receivedAt: sql.placeholder("receivedAt"),
      traceparent: sql.placeholder("traceparent"),
      deliveries: 1,
      lastDeliveredAt: sql.placeholder("receivedAt"),
    })
    .onConflictDoNothing({ target: inbox.webhookId })
    .prepare();
  const countRepeat = db
    .update(inbox)
    .set({
      deliveries: sql`${inbox.deliveries} + 1`,
      lastDeliveredAt: sql`${sql.placeholder("receivedAt")}`,
    })
    .where(eq(inbox.webhookId, sql.placeholder("webhookId")))
    .prepare();

  return new Hono().post(
    WEBHOOK_PATH,
    // Continues the sender's trace (its traceparent header) when it sends one.
    traceRequests(() => `POST ${WEBHOOK_PATH}`),
    bodyLimit({
      maxSize: MAX_WEBHOOK_BYTES,
      // The rest of the body is never read, so the connection cannot carry another
      // request: close it rather than leave the sender's next request to fail on it.
      onError: (c) =>
        c.json(
          { error: `Webhook body exceeds ${MAX_WEBHOOK_BYTES} bytes`, reason: "too_large" },
          413,
          { connection: "close" },
        ),
    }),
    async (c) => {
      const registration = registrationNow.get();
      if (!registration) {
        c.header("retry-after", "5");
        return c.json({ error: "Not registered with the insurer yet", reason: "not_ready" }, 503);
      }

      // The raw bytes: the signature covers exactly what was sent.
      const body = new Uint8Array(await c.req.arrayBuffer());
      const headers = c.req.raw.headers;
      let verified: ReturnType<typeof verifyWebhook>;
      try {
        verified = verifyWebhook({
          body,
          headers,
          secret: registration.secret,
          now: () => clock.now(),
        });
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        const payloadProblem =
          error.reason === "invalid_json" || error.reason === "invalid_payload";
        logger.warn(
          { reason: error.reason, webhookId: headers.get("webhook-id"), error: error.message },
          "rejected webhook",
        );
        annotateActiveSpan({ "claimwire.webhook.rejected": error.reason });
        return c.json({ error: error.message, reason: error.reason }, payloadProblem ? 400 : 401);
      }

      const { id, timestamp } = verified;
      const eventType = verified.known ? verified.event.type : verified.type;
      // An operational event (endpoint.disabled) or one of a type we do not know belongs
      // to no claim: stored with an empty claim id and version 0.
      const claim = verified.known && isClaimEvent(verified.event) ? verified.event.data : null;
      const receivedAt = new Date(clock.now()).toISOString();
      annotateActiveSpan({ "claimwire.webhook_id": id, "claimwire.event_type": eventType });
      // One statement each, no transaction around them: nothing else runs between the two
      // on this thread, and the clinic is the only writer of its inbox.
      const stored = storeNew.run({
        webhookId: id,
        eventType,
        claimId: claim?.claimId ?? "",
        version: claim?.version ?? 0,
        body: new TextDecoder().decode(body),
        // The signed bytes as they came, to verify the message again later.
        rawBody: Buffer.from(body),
        webhookTimestamp: timestamp.getTime() / 1000,
        webhookSignature: headers.get("webhook-signature") ?? "",
        receivedAt,
        // This span's: the processor's span continues the trace from here.
        traceparent: currentTraceparent(),
      });
      const isNew = stored.changes > 0;
      // A repeat (the sender never saw our 2xx) is counted for the claim's timeline.
      if (!isNew) countRepeat.run({ webhookId: id, receivedAt });

      // A repeated webhook-id was stored before: acknowledge it so the sender stops retrying.
      if (!isNew) {
        logger.debug({ webhookId: id }, "duplicate webhook acknowledged");
      } else {
        logger.info(
          { webhookId: id, type: eventType, known: verified.known, claimId: claim?.claimId },
          "webhook stored",
        );
        onStored();
      }
      return c.body(null, 204);
    },
  );
}
