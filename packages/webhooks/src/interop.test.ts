// Interop with the reference implementation (npm `standardwebhooks`), which nobody here wrote.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateSecret } from "./secret.ts";
import { buildWebhookHeaders } from "./sign.ts";
import { generateSigningKeyPair } from "./signing-key-pair.ts";
import { verifyWebhook } from "./verify.ts";

const body = '{"type":"claim.approved","data":{"claimId":"clm_1","note":"Zoë – 腰痛 🩻"}}';

describe("interop with the standardwebhooks reference library", () => {
  it("the reference library verifies what we sign", () => {
    const secret = generateSecret();
    const headers = buildWebhookHeaders({
      secrets: [secret],
      msgId: "msg_ours",
      timestamp: Math.floor(Date.now() / 1000),
      body: new TextEncoder().encode(body),
    });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("the reference library verifies our rotation header with either secret", () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = [oldSecret, newSecret];
    const headers = buildWebhookHeaders({ secrets, msgId: "msg_rot", timestamp, body });
    for (const secret of secrets) {
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    }
  });

  it("the reference library still verifies our HMAC entry beside an ed25519 (v1a) entry", () => {
    const secret = generateSecret();
    const { secretKey } = generateSigningKeyPair();
    const headers = buildWebhookHeaders({
      secrets: [secretKey, secret],
      msgId: "msg_mixed",
      timestamp: Math.floor(Date.now() / 1000),
      body,
    });
    expect(headers["webhook-signature"]).toMatch(/^v1a,\S+ v1,\S+$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("we verify what the reference library signs with a key of any length it accepts", () => {
    for (const bytes of [1, 16, 100]) {
      const secret = `whsec_${Buffer.alloc(bytes, bytes).toString("base64")}`;
      const date = new Date();
      const headers = {
        "webhook-id": `msg_${bytes}`,
        "webhook-timestamp": String(Math.floor(date.getTime() / 1000)),
        "webhook-signature": new Webhook(secret).sign(`msg_${bytes}`, date, body),
      };
      expect(
        verifyWebhook({ secret, headers, body: Buffer.from(body) }),
        `${bytes} bytes`,
      ).toMatchObject({ msgId: `msg_${bytes}` });
      // Another key of that length is still another key.
      const other = `whsec_${Buffer.alloc(bytes, bytes + 1).toString("base64")}`;
      expect(() => verifyWebhook({ secret: other, headers, body: Buffer.from(body) })).toThrow(
        /signature/,
      );
    }
  });

  it("we verify what the reference library signs", () => {
    const secret = generateSecret();
    const date = new Date();
    const headers = {
      "webhook-id": "msg_theirs",
      "webhook-timestamp": String(Math.floor(date.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign("msg_theirs", date, body),
    };
    expect(verifyWebhook({ secret, headers, body: Buffer.from(body) })).toMatchObject({
      msgId: "msg_theirs",
      body,
    });
  });
});
