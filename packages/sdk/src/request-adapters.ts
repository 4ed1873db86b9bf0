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
 * one is a `TypeError` that says how to keep the raw bytes.
 *
 * @example
 * // Express: keep the raw bytes on this route only.
 * app.post("/webhooks/insurer", express.raw({ type: "application/json" }), (req, res) => {
 *   const { id, event } = verifyRawBody({ rawBody: req.body, headers: req.headers }, secret);
 *   res.sendStatus(204);
 * });
 *
 * @example
 * // Fastify: parse JSON bodies as a Buffer, then pass the request's body and headers.
 * fastify.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) =>
 *   done(null, body),
 * );
 * fastify.post("/webhooks/insurer", async (request, reply) => {
 *   const { event } = verifyRawBody({ rawBody: request.body as Buffer, headers: request.headers }, secret);
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
 *       const { event } = verifyNodeRequest(req, Buffer.concat(chunks), secret);
 *       if (event.type === "claim.approved") console.log(event.data.approvedAmount);
 *       res.writeHead(204).end();
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
 *   const { id, event } = await verifyFetchRequest(request, process.env.WEBHOOK_PUBLIC_KEY!);
 *   await inbox.save(id, event);
 *   return new Response(null, { status: 204 });
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
