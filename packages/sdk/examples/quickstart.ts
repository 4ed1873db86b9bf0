// Quickstart: subscribe a webhook endpoint, submit a claim, and receive the insurer's
// signed `claim.submitted` webhook for it, verified and typed. Against `npm start` at the
// repository root (insurer on :4000 with its demo clinic), the defaults below just work.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createInsurerClient,
  isInsurerApiError,
  type VerifiedKnownWebhookEvent,
  verifyNodeRequest,
  WebhookVerificationError,
} from "@claimwire/sdk";

const insurer = createInsurerClient({
  baseUrl: process.env.INSURER_URL ?? "http://127.0.0.1:4000",
  apiKey: process.env.CLINIC_API_KEY ?? "cw_clinic_demo_dev_key_change_me",
});

// 1. A receiver. Every delivery is verified with the endpoint's secret before anything
//    trusts it; only a verified one gets a 2xx (anything else is retried by the insurer).
//    An event type this SDK does not know (the insurer added it later) is verified too,
//    and acknowledged: it comes back as `known: false`, never as an error.
let secret = "";
const received: VerifiedKnownWebhookEvent[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    try {
      const verified = verifyNodeRequest(req, Buffer.concat(chunks), secret);
      if (verified.known) received.push(verified);
      res.writeHead(204).end();
    } catch (error) {
      const rejected = error instanceof WebhookVerificationError;
      res.writeHead(rejected ? 401 : 500).end(rejected ? error.reason : undefined);
    }
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const { port } = receiver.address() as AddressInfo;

try {
  // 2. Subscribe it. The secret is returned only here: a real receiver stores it.
  const endpoint = await insurer.endpoints.create.mutate({
    url: `http://127.0.0.1:${port}/webhooks/insurer`,
    eventTypes: ["claim.submitted"],
  });
  secret = endpoint.secret;

  // 3. Submit a claim (amounts in cents; patientRef is a pseudonymous token).
  const claim = await insurer.claims.submit.mutate({
    clinicReference: `QUICKSTART-${Date.now()}`,
    patientRef: "pat_7f3k2m9x",
    policyNumber: "POL-123456",
    currency: "EUR",
    serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: 12_500 }],
  });
  console.log(`submitted ${claim.id}: ${claim.status}, ${claim.total.amount} ${claim.currency}`);

  // 4. Wait for its webhook. `event` is a union narrowed by `type`.
  const deadline = Date.now() + 30_000;
  let delivered: VerifiedKnownWebhookEvent | undefined;
  while (!delivered) {
    if (Date.now() > deadline) throw new Error("No webhook within 30 s: is a worker running?");
    await new Promise((resolve) => setTimeout(resolve, 100));
    delivered = received.find(
      ({ event }) => event.type === "claim.submitted" && event.data.claimId === claim.id,
    );
  }
  const { id, event } = delivered;
  if (event.type === "claim.submitted") {
    console.log(`verified ${event.type} for ${event.data.claimId} (webhook ${id})`);
  }

  await insurer.endpoints.delete.mutate({ endpointId: endpoint.id });
} catch (error) {
  if (!isInsurerApiError(error)) throw error;
  // The insurer refused a call: `data.code` says why (UNAUTHORIZED, BAD_REQUEST, …).
  console.error(`insurer error ${error.data?.code ?? "(no answer)"}: ${error.message}`);
  process.exitCode = 1;
} finally {
  receiver.close();
  receiver.closeAllConnections(); // the insurer's workers keep connections alive
}
