export {
  deliveryRequestHeaders,
  WEBHOOK_CONTENT_TYPE,
  WEBHOOK_USER_AGENT,
} from "./delivery-request-headers.ts";
export { decodeSecret, generateSecret } from "./secret.ts";
export type { SignedContent, WebhookHeaders } from "./sign.ts";
export { buildWebhookHeaders, signatureHeader, signPayload } from "./sign.ts";
export type { SigningKeyPair } from "./signing-key-pair.ts";
export {
  derivePublicKey,
  generateSigningKeyPair,
  SIGNING_PUBLIC_KEY_PREFIX,
  SIGNING_SECRET_KEY_PREFIX,
} from "./signing-key-pair.ts";
export type {
  HeadersGetter,
  HeadersRecord,
  VerifiedWebhook,
  VerifyWebhookOptions,
} from "./verify.ts";
export { verifyWebhook } from "./verify.ts";
export type {
  SignatureRejectionReason,
  WebhookVerificationReason,
} from "./webhook-verification-error.ts";
export { WebhookVerificationError } from "./webhook-verification-error.ts";
