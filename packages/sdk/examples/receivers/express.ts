import { type VerifiedWebhookEvent, verifyRawBody, WebhookVerificationError } from "@claimwire/sdk";
import express from "express";

/** An Express app that takes the insurer's webhooks at POST /webhooks/insurer. */
export function createExpressReceiver(
  secret: string,
  save: (d: VerifiedWebhookEvent) => Promise<void>,
) {
  const app = express();
  // The raw bytes, on this route only: the signature is over them, not over parsed JSON.
  app.post("/webhooks/insurer", express.raw({ type: "application/json" }), async (req, res) => {
    try {
      await save(verifyRawBody({ rawBody: req.body, headers: req.headers }, secret));
      res.sendStatus(204); // only once it is saved (by its id); process it later
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      res.status(401).json({ reason: error.reason });
    }
  });
  return app;
}
