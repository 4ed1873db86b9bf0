import {
  type VerifiedWebhookEvent,
  verifyFetchRequest,
  WebhookVerificationError,
} from "@claimwire/sdk";

/**
 * A handler of fetch Requests. Next.js, in app/webhooks/insurer/route.ts:
 * `export const POST = createWebhookRoute(process.env.WEBHOOK_SECRET!, inbox.save);`
 */
export function createWebhookRoute(
  secret: string,
  save: (d: VerifiedWebhookEvent) => Promise<void>,
) {
  return async function POST(request: Request): Promise<Response> {
    try {
      await save(await verifyFetchRequest(request, secret));
      return new Response(null, { status: 204 }); // only once it is saved (by its id)
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return Response.json({ reason: error.reason }, { status: 401 });
    }
  };
}
