import {
  type VerifiedWebhookEvent,
  type VerifyRequestOptions,
  verifyWebhook,
  type WebhookHeaders,
} from "./verify-webhook.ts";

/**
 * A request as Express, Fastify and most Node frameworks hold it once the raw body is
 * kept: the raw bytes and the headers.
 *
 * @example
 * // Express with express.raw(): req.body is the Buffer.
 * const request: RawBodyRequest = { rawBody: req.body, headers: req.headers };
 */
export type RawBodyRequest = {
  /** The body exactly as received: a `Buffer`/`Uint8Array` or a string. */
  rawBody?: string | Uint8Array | undefined;
  headers: WebhookHeaders;
};

/**
 * Verifies a delivery given its raw body and headers: the adapter for Express, Fastify
 * and anything else that can keep the raw body. A parsed body (an object) or a missing
 * one is a `TypeError` that says how to keep the raw bytes. Like `verifyWebhook`, it
 * returns an event type this SDK does not know as `known: false`, not as an error.
 *
 * @example
 * // Express: keep the raw bytes on this route only.
 * app.post("/webhooks/insurer", express.raw({ type: "application/json" }), (req, res) => {
 *   const verified = verifyRawBody({ rawBody: req.body, headers: req.headers }, secret);
 *   if (verified.known) inbox.insertIgnoringDuplicates(verified.id, verified.event);
 *   res.sendStatus(204); // an unknown (newer) event type is acknowledged too
 * });
 *
 * @example
 * // Fastify: parse JSON bodies as a Buffer, then pass the request's body and headers.
 * fastify.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) =>
 *   done(null, body),
 * );
 * fastify.post("/webhooks/insurer", async (request, reply) => {
 *   const verified = verifyRawBody({ rawBody: request.body as Buffer, headers: request.headers }, secret);
 *   if (verified.known && verified.event.type === "claim.paid") await markPaid(verified.event.data);
 *   return reply.code(204).send();
 * });
 */
export function verifyRawBody(
  request: RawBodyRequest,
  secret: string | readonly string[],
  options: VerifyRequestOptions = {},
): VerifiedWebhookEvent {
  return verifyWebhook({
    ...options,
    body: request.rawBody as string | Uint8Array,
    headers: request.headers,
    secret,
  });
}

/**
 * Verifies a delivery received by Node's `http` server, given the body you read from it.
 * Any object with Node-style `headers` will do (an `IncomingMessage`, an Express or
 * Fastify request).
 *
 * @example
 * createServer((req, res) => {
 *   const chunks: Buffer[] = [];
 *   req.on("data", (chunk: Buffer) => chunks.push(chunk));
 *   req.on("end", () => {
 *     try {
 *       const verified = verifyNodeRequest(req, Buffer.concat(chunks), secret);
 *       if (verified.known && verified.event.type === "claim.approved") {
 *         console.log(verified.event.data.approvedAmount);
 *       }
 *       res.writeHead(204).end(); // whether known or not
 *     } catch (error) {
 *       res.writeHead(error instanceof WebhookVerificationError ? 401 : 500).end();
 *     }
 *   });
 * });
 */
export function verifyNodeRequest(
  req: { headers: WebhookHeaders },
  rawBody: string | Uint8Array,
  secret: string | readonly string[],
  options: VerifyRequestOptions = {},
): VerifiedWebhookEvent {
  return verifyRawBody({ rawBody, headers: req.headers }, secret, options);
}

/**
 * Verifies a fetch `Request` (Hono, Next.js route handlers, Deno, Bun); consumes its body.
 *
 * @example
 * export async function POST(request: Request) {
 *   // An ed25519 endpoint: verify with its public key (nothing secret on the receiver).
 *   const verified = await verifyFetchRequest(request, process.env.WEBHOOK_PUBLIC_KEY!);
 *   if (verified.known) await inbox.save(verified.id, verified.event);
 *   return new Response(null, { status: 204 }); // an unknown event type is acknowledged too
 * }
 */
export async function verifyFetchRequest(
  request: Request,
  secret: string | readonly string[],
  options: VerifyRequestOptions = {},
): Promise<VerifiedWebhookEvent> {
  // The bytes, not `text()`: decoding and re-encoding could change what was signed.
  const body = new Uint8Array(await request.arrayBuffer());
  return verifyWebhook({ ...options, body, headers: request.headers, secret });
}
