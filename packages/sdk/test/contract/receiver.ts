/**
 * The SDK's real entry point for check (c) of the consumer contract (docs/contracts.md):
 * each body is signed as the delivery worker signs it and handed to `verifyWebhook`,
 * which must return it — as a known event or as `known: false` — rather than throw.
 */
import type { ConsumerUnderTest } from "@claimwire/contracts/compat";
import { buildWebhookHeaders, generateSecret } from "@claimwire/webhooks";
import { verifyWebhook } from "../../src/index.ts";

const secret = generateSecret();

export const sdkUnderTest: ConsumerUnderTest = {
  consumer: "sdk",
  receive(body) {
    const headers = buildWebhookHeaders({
      secrets: [secret],
      msgId: "evt_contract_probe",
      timestamp: Math.floor(Date.now() / 1000),
      body,
    });
    verifyWebhook({ body, headers, secret });
  },
};
