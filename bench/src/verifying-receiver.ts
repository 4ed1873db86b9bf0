import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook, WebhookVerificationError } from "@claimwire/webhooks";

/**
 * A second physical limit, run as its own process (`node --import tsx
 * src/verifying-receiver.ts`, the secret in VERIFY_SECRET): a bare `node:http` server that
 * checks each POST's Standard Webhooks signature and answers 204 (401 when it does not
 * match), and nothing else: no framework, no inbox, no database. Between the bare 204
 * server and the clinic's receiver, it shows what verifying costs by itself.
 */
const secret = process.env.VERIFY_SECRET;
if (!secret) throw new Error("VERIFY_SECRET is required");

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    try {
      verifyWebhook({ secret, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      res.writeHead(401).end();
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
