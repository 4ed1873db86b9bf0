import { describe, expect, it } from "vitest";
import { generateSecret } from "./secret.ts";
import { buildWebhookHeaders, signPayload } from "./sign.ts";
import { generateSigningKeyPair } from "./signing-key-pair.ts";
import { verificationOutcome } from "./testing/verification-outcome.ts";
import { verifyWebhook } from "./verify.ts";

const msgId = "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6";
const timestamp = 1_700_000_000;
const now = () => timestamp * 1000;
const body = '{"type":"claim.approved","data":{"note":"Zoë – 腰痛 🩻"}}';
const pair = generateSigningKeyPair();

describe("ed25519 (v1a) signatures", () => {
  it("round-trips: signed with whsk_, verified with whpk_", () => {
    const headers = buildWebhookHeaders({ secrets: [pair.secretKey], msgId, timestamp, body });
    expect(headers["webhook-signature"]).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(verifyWebhook({ secret: pair.publicKey, headers, body, now })).toEqual({
      msgId,
      timestamp,
      body,
    });
  });

  it("rejects a v1a signature made by a different key", () => {
    const other = generateSigningKeyPair();
    const headers = buildWebhookHeaders({ secrets: [other.secretKey], msgId, timestamp, body });
    expect(
      verificationOutcome(() => verifyWebhook({ secret: pair.publicKey, headers, body, now })),
    ).toBe("invalid_signature");
  });

  it("rejects a tampered body, a changed id and a re-encoded signature", () => {
    const headers = buildWebhookHeaders({ secrets: [pair.secretKey], msgId, timestamp, body });
    const secret = pair.publicKey;
    const tampered = body.replace("approved", "rejected");
    expect(verificationOutcome(() => verifyWebhook({ secret, headers, body: tampered, now }))).toBe(
      "invalid_signature",
    );
    const otherId = { ...headers, "webhook-id": "evt_other" };
    expect(verificationOutcome(() => verifyWebhook({ secret, headers: otherId, body, now }))).toBe(
      "invalid_signature",
    );
    // Node's base64 decoder would ignore the stray "!"; the signature must be exact text.
    const padded = { ...headers, "webhook-signature": `${headers["webhook-signature"]}!` };
    expect(verificationOutcome(() => verifyWebhook({ secret, headers: padded, body, now }))).toBe(
      "invalid_signature",
    );
  });

  it("a header with both v1 and v1a entries verifies with either key", () => {
    const hmac = generateSecret();
    const headers = buildWebhookHeaders({
      secrets: [hmac, pair.secretKey],
      msgId,
      timestamp,
      body,
    });
    expect(headers["webhook-signature"]).toMatch(/^v1,\S+ v1a,\S+$/);
    for (const secret of [hmac, pair.publicKey, [pair.publicKey, hmac]]) {
      expect(verificationOutcome(() => verifyWebhook({ secret, headers, body, now }))).toBe(
        "accepted",
      );
    }
  });

  it("checks each key only against its own version", () => {
    // An HMAC secret never accepts a v1a entry and a public key never accepts a v1 entry,
    // even when the entry's version label is swapped.
    const hmac = generateSecret();
    const v1 = signPayload({ secret: hmac, msgId, timestamp, body });
    const v1a = signPayload({ secret: pair.secretKey, msgId, timestamp, body });
    const swapped = `v1a,${v1.slice(3)} v1,${v1a.slice(4)}`;
    const headers = {
      "webhook-id": msgId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": swapped,
    };
    for (const secret of [hmac, pair.publicKey]) {
      expect(verificationOutcome(() => verifyWebhook({ secret, headers, body, now }))).toBe(
        "invalid_signature",
      );
    }
  });

  it("refuses to verify with the secret key, which belongs only to the sender", () => {
    const headers = buildWebhookHeaders({ secrets: [pair.secretKey], msgId, timestamp, body });
    expect(() => verifyWebhook({ secret: pair.secretKey, headers, body, now })).toThrow(/whpk_/);
  });
});
