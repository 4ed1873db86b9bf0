import {
  type VerifiedWebhookEvent,
  verifyFetchRequest,
  WebhookVerificationError,
} from "@claimwire/sdk";
import { Hono } from "hono";

/** A Hono app that takes the insurer's webhooks at POST /webhooks/insurer. */
export function createHonoReceiver(
  secret: string,
  save: (d: VerifiedWebhookEvent) => Promise<void>,
) {
  const app = new Hono();
  app.post("/webhooks/insurer", async (c) => {
    try {
      // c.req.raw is the fetch Request, its body not read yet.
      await save(await verifyFetchRequest(c.req.raw, secret));
      return c.body(null, 204); // only once it is saved (by its id); process it later
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return c.json({ reason: error.reason }, 401);
    }
  });
  return app;
}
