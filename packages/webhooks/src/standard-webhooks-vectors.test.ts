import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { signPayload } from "./sign.ts";
import { verificationOutcome } from "./testing/verification-outcome.ts";
import { verifyWebhook } from "./verify.ts";

type Vectors = {
  valid: { secret: string; msgId: string; timestamp: number; payload: string; signature: string }[];
  invalidSignatureHeaders: string[];
  validMultiSignatureHeader: string;
};

// This file is packages/webhooks/src/, the vectors live in ../shared beside the repo.
const vectorsPath = process.env.CLAIMWIRE_SHARED_DIR
  ? join(process.env.CLAIMWIRE_SHARED_DIR, "vectors/standard-webhooks.json")
  : new URL("../../../../shared/vectors/standard-webhooks.json", import.meta.url);
const vectors: Vectors = JSON.parse(readFileSync(vectorsPath, "utf8"));
const vector = vectors.valid[0]!;

const headers = {
  "webhook-id": vector.msgId,
  "webhook-timestamp": String(vector.timestamp),
  "webhook-signature": vector.signature,
};
const body = vector.payload;
const secret = vector.secret;
const now = () => vector.timestamp * 1000;

describe("Standard Webhooks public test vectors", () => {
  it("signs the valid vector to its signature", () => {
    const { msgId, timestamp } = vector;
    expect(signPayload({ secret, msgId, timestamp, body })).toBe(vector.signature);
  });

  it("verifies the valid vector", () => {
    expect(verifyWebhook({ secret, headers, body, now })).toEqual({
      msgId: vector.msgId,
      timestamp: vector.timestamp,
      body,
    });
  });

  it.each(vectors.invalidSignatureHeaders)("rejects the signature header %j", (signature) => {
    const bad = { ...headers, "webhook-signature": signature };
    expect(verificationOutcome(() => verifyWebhook({ secret, headers: bad, body, now }))).toBe(
      "invalid_signature",
    );
  });

  it("accepts the header that lists several signatures and versions", () => {
    const multi = { ...headers, "webhook-signature": vectors.validMultiSignatureHeader };
    expect(verificationOutcome(() => verifyWebhook({ secret, headers: multi, body, now }))).toBe(
      "accepted",
    );
  });

  it("rejects a timestamp more than 300 s old or ahead", () => {
    const at = (offset: number) => () => (vector.timestamp + offset) * 1000;
    expect(verificationOutcome(() => verifyWebhook({ secret, headers, body, now: at(301) }))).toBe(
      "timestamp_too_old",
    );
    expect(verificationOutcome(() => verifyWebhook({ secret, headers, body, now: at(-301) }))).toBe(
      "timestamp_in_future",
    );
  });

  it("rejects a delivery without the required headers", () => {
    for (const name of Object.keys(headers)) {
      const partial = Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
      expect(
        verificationOutcome(() => verifyWebhook({ secret, headers: partial, body, now })),
      ).toBe("missing_headers");
    }
  });

  it("matches header names in any case", () => {
    const shouty = Object.fromEntries(
      Object.entries(headers).map(([key, value], i) => [i % 2 ? key.toUpperCase() : key, value]),
    );
    const mixed = { "Webhook-Id": vector.msgId, ...shouty };
    expect(verificationOutcome(() => verifyWebhook({ secret, headers: shouty, body, now }))).toBe(
      "accepted",
    );
    expect(verificationOutcome(() => verifyWebhook({ secret, headers: mixed, body, now }))).toBe(
      "accepted",
    );
  });

  it("rejects a tampered body and a wrong secret", () => {
    expect(
      verificationOutcome(() => verifyWebhook({ secret, headers, body: `${body} `, now })),
    ).toBe("invalid_signature");
    const wrong = `whsec_${Buffer.alloc(24, 1).toString("base64")}`;
    expect(verificationOutcome(() => verifyWebhook({ secret: wrong, headers, body, now }))).toBe(
      "invalid_signature",
    );
  });

  it("accepts the secret without its whsec_ prefix", () => {
    const bare = secret.replace(/^whsec_/, "");
    expect(verificationOutcome(() => verifyWebhook({ secret: bare, headers, body, now }))).toBe(
      "accepted",
    );
  });
});
