import { type VerifiedWebhookEvent, verifyRawBody, WebhookVerificationError } from "@claimwire/sdk";
import Fastify from "fastify";

/** A Fastify app that takes the insurer's webhooks at POST /webhooks/insurer. */
export function createFastifyReceiver(
  secret: string,
  save: (d: VerifiedWebhookEvent) => Promise<void>,
) {
  const app = Fastify();
  // JSON bodies as a Buffer: the signature is over the raw bytes, not over parsed JSON.
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) => {
    done(null, body);
  });
  app.post("/webhooks/insurer", async (request, reply) => {
    try {
      await save(
        verifyRawBody({ rawBody: request.body as Buffer, headers: request.headers }, secret),
      );
      return reply.code(204).send(); // only once it is saved (by its id); process it later
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return reply.code(401).send({ reason: error.reason });
    }
  });
  return app;
}
