import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WEBHOOK_EVENT_EXAMPLES, type WebhookEvent } from "@claimwire/contracts";
import {
  buildWebhookHeaders,
  generateSecret,
  generateSigningKeyPair,
  WebhookVerificationError as SignatureLayerError,
  verifyWebhook as verifySignature,
} from "@claimwire/webhooks";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
// The class as SDK users import it: from the package's entry.
import { verifyStandardWebhook, WebhookVerificationError } from "./index.ts";
import { type VerifiedWebhookEvent, verifyWebhook } from "./verify-webhook.ts";

type Vectors = {
  valid: { secret: string; msgId: string; timestamp: number; payload: string; signature: string }[];
  invalidSignatureHeaders: string[];
};

// This file is packages/sdk/src/; the shared vectors live in ../shared beside the repo.
const vectorsPath = process.env.CLAIMWIRE_SHARED_DIR
  ? join(process.env.CLAIMWIRE_SHARED_DIR, "vectors/standard-webhooks.json")
  : new URL("../../../../shared/vectors/standard-webhooks.json", import.meta.url);
const vectors: Vectors = JSON.parse(readFileSync(vectorsPath, "utf8"));

const secret = generateSecret();
const timestamp = 1_800_000_000;
const now = () => timestamp * 1000;
const event = WEBHOOK_EVENT_EXAMPLES["claim.approved"];
const body = JSON.stringify(event);
const signed = (payload: string, secrets = [secret]) =>
  buildWebhookHeaders({ secrets, msgId: "evt_1", timestamp, body: payload });

/** The event of a delivery of a type this SDK knows; fails the test for an unknown one. */
function knownEvent(verified: VerifiedWebhookEvent): WebhookEvent {
  if (!verified.known) throw new Error(`expected a known event type, got '${verified.type}'`);
  return verified.event;
}

function rejection(run: () => unknown): WebhookVerificationError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error("expected the webhook to be rejected");
}

describe("verifyWebhook with the Standard Webhooks public vectors", () => {
  const vector = vectors.valid[0]!;
  const headers = {
    "webhook-id": vector.msgId,
    "webhook-timestamp": String(vector.timestamp),
    "webhook-signature": vector.signature,
  };
  const at = () => vector.timestamp * 1000;
  const verify = (overrides: Record<string, string> = {}, when = at) =>
    verifyWebhook({
      body: vector.payload,
      headers: { ...headers, ...overrides },
      secret: vector.secret,
      now: when,
    });

  it("accepts the valid vector's signature and then rejects its body as not a claim event", () => {
    // The vector's payload is `{"test": …}`: getting as far as the schema proves the
    // signature and timestamp checks passed.
    const error = rejection(() => verify());
    expect(error.reason).toBe("invalid_payload");
    expect(error.message).toContain("type");
  });

  it.each(vectors.invalidSignatureHeaders)("rejects the signature header %j", (signature) => {
    expect(rejection(() => verify({ "webhook-signature": signature })).reason).toBe(
      "invalid_signature",
    );
  });

  it("rejects the valid vector once it is more than five minutes old", () => {
    const later = () => (vector.timestamp + 301) * 1000;
    expect(rejection(() => verify({}, later)).reason).toBe("timestamp_too_old");
  });
});

describe("verifyWebhook with claim events", () => {
  it("returns the id, the signing time and the typed event", () => {
    const verified = verifyWebhook({ body, headers: signed(body), secret, now });
    expect(verified).toEqual({
      known: true,
      id: "evt_1",
      timestamp: new Date(timestamp * 1000),
      event,
    });
    // Narrowed by `known`, then by `type`, so an integrator can read the decision's fields.
    const received: WebhookEvent = knownEvent(verified);
    if (received.type !== "claim.approved") throw new Error("expected claim.approved");
    expect(received.data.approvedAmount).toEqual({ amount: 18_500, currency: "EUR" });
  });

  it("verifies what the standardwebhooks reference library signs", () => {
    const date = new Date();
    const headers = {
      "webhook-id": "evt_theirs",
      "webhook-timestamp": String(Math.floor(date.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign("evt_theirs", date, body),
    };
    const verified = verifyWebhook({ body: Buffer.from(body), headers, secret });
    expect(verified.id).toBe("evt_theirs");
    expect(knownEvent(verified)).toEqual(event);
  });

  it("accepts either secret while one is being rotated", () => {
    const next = generateSecret();
    const headers = signed(body, [next]);
    expect(verifyWebhook({ body, headers, secret: [secret, next], now }).id).toBe("evt_1");
  });

  it("rejects a wrong secret, a tampered body and a stale timestamp with their reasons", () => {
    const headers = signed(body);
    const tampered = body.replace("18500", "99999");
    const sixMinutesLater = () => (timestamp + 360) * 1000;
    const cases = [
      [() => verifyWebhook({ body, headers, secret: generateSecret(), now }), "invalid_signature"],
      [() => verifyWebhook({ body: tampered, headers, secret, now }), "invalid_signature"],
      [() => verifyWebhook({ body, headers, secret, now: sixMinutesLater }), "timestamp_too_old"],
      [() => verifyWebhook({ body, headers: {}, secret, now }), "missing_headers"],
    ] as const;
    for (const [run, reason] of cases) {
      const error = rejection(run);
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect(error.reason).toBe(reason);
    }
  });

  it("rejects a signed body that is not JSON", () => {
    const text = "<html>not json</html>";
    const error = rejection(() =>
      verifyWebhook({ body: text, headers: signed(text), secret, now }),
    );
    expect(error.reason).toBe("invalid_json");
  });

  it("rejects a signed event that breaks the schema and names the field", () => {
    const { approvedAmount: _dropped, ...data } = event.data;
    const invalid = JSON.stringify({ ...event, data });
    const error = rejection(() =>
      verifyWebhook({ body: invalid, headers: signed(invalid), secret, now }),
    );
    expect(error.reason).toBe("invalid_payload");
    expect(error.message).toContain("data.approvedAmount");
  });

  it("throws a TypeError, not a rejection, when the receiver's secret is misconfigured", () => {
    const run = () => verifyWebhook({ body, headers: signed(body), secret: "whsec_%%", now });
    expect(run).toThrow(TypeError);
  });
});

describe("verifyWebhook with keys the event does not declare", () => {
  it("treats __proto__, constructor and prototype in a signed body as plain unknown keys", () => {
    // Written as text: JSON.parse makes "__proto__" an own key, as a sender's JSON would.
    const hostile = body
      .replace(
        /^\{/,
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
      )
      .replace(/"data":\{/, '"data":{"__proto__":{"isAdmin":true},"prototype":1,');
    expect(hostile.match(/__proto__/g)).toHaveLength(2);
    const verified = knownEvent(
      verifyWebhook({ body: hostile, headers: signed(hostile), secret, now }),
    );
    expect(verified).toEqual(event);
    expect(Object.getPrototypeOf(verified)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(verified.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe("verifyWebhook with what the insurer adds later", () => {
  const reopened = {
    type: "claim.reopened",
    timestamp: event.timestamp,
    data: { claimId: event.data.claimId, version: 6, reopenedBy: { role: "staff" } },
  };

  it("returns an event type it does not know as unknown, with the payload as parsed", () => {
    const text = JSON.stringify(reopened);
    const verified = verifyWebhook({ body: text, headers: signed(text), secret, now });
    expect(verified).toEqual({
      known: false,
      id: "evt_1",
      timestamp: new Date(timestamp * 1000),
      type: "claim.reopened",
      payload: reopened,
    });
    // What an integrator writes: `known` first, then the known union narrows on `type`.
    const handled = verified.known
      ? verified.event.type === "claim.approved"
        ? verified.event.data.approvedAmount.amount
        : verified.event.type
      : `ignored ${verified.type} (${Object.keys(verified.payload.data as object).length} fields)`;
    expect(handled).toBe("ignored claim.reopened (3 fields)");
  });

  it("accepts a known event with fields it does not declare and returns it without them", () => {
    const newer = {
      ...event,
      deliveryRegion: "eu-west",
      data: {
        ...event.data,
        adjudicatorNote: "ok",
        approvedAmount: { ...event.data.approvedAmount, tax: 0 },
      },
    };
    const text = JSON.stringify(newer);
    expect(knownEvent(verifyWebhook({ body: text, headers: signed(text), secret, now }))).toEqual(
      event,
    );
  });

  it("still rejects a known event type that breaks its schema, and a body that is no event", () => {
    const wrongStatus = JSON.stringify({ ...event, data: { ...event.data, status: "paid" } });
    const bodies = [
      wrongStatus,
      "[]",
      "null",
      '"claim.paid"',
      '{"data":{}}',
      '{"type":42}',
      '{"type":""}',
    ];
    for (const text of bodies) {
      const error = rejection(() =>
        verifyWebhook({ body: text, headers: signed(text), secret, now }),
      );
      expect(error.reason, text).toBe("invalid_payload");
    }
    const error = rejection(() =>
      verifyWebhook({ body: wrongStatus, headers: signed(wrongStatus), secret, now }),
    );
    expect(error.message).toContain("data.status");
  });

  it("checks the signature before anything else: an unknown type with a bad one is rejected", () => {
    const text = JSON.stringify(reopened);
    const run = () =>
      verifyWebhook({ body: text, headers: signed(text), secret: generateSecret(), now });
    expect(rejection(run).reason).toBe("invalid_signature");
  });

  it("treats prototype names as unknown types and __proto__ keys in them as plain keys", () => {
    for (const type of ["constructor", "__proto__", "toString"]) {
      const text = `{"__proto__":{"polluted":true},"type":${JSON.stringify(type)},"data":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":true}}}}`;
      const verified = verifyWebhook({ body: text, headers: signed(text), secret, now });
      if (verified.known) throw new Error(`'${type}' must not be a known event type`);
      expect(verified.type).toBe(type);
      expect(Object.hasOwn(verified.payload, "__proto__")).toBe(true);
      expect(Object.getPrototypeOf(verified.payload)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    }
  });
});

describe("verifyStandardWebhook", () => {
  it("checks the signature of any Standard Webhooks body and returns it unparsed", () => {
    const foreign = '{"type":"invoice.paid","data":{"amount":12}}';
    const date = new Date(now());
    const headers = {
      "webhook-id": "msg_foreign",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": new Webhook(secret).sign("msg_foreign", date, foreign),
    };
    expect(verifyStandardWebhook({ body: foreign, headers, secret, now })).toEqual({
      msgId: "msg_foreign",
      timestamp,
      body: foreign,
    });
    // The typed verifier returns a type it does not know as such; the plain one checks
    // only the signature, whatever the body holds.
    expect(verifyWebhook({ body: foreign, headers, secret, now })).toMatchObject({
      known: false,
      type: "invoice.paid",
    });
    expect(
      rejection(() => verifyStandardWebhook({ body: "[1]", headers, secret, now })).reason,
    ).toBe("invalid_signature");
    expect(
      rejection(() => verifyStandardWebhook({ body: `${foreign} `, headers, secret, now })).reason,
    ).toBe("invalid_signature");
  });
});

describe("verifyWebhook with ed25519 (whpk_) public keys", () => {
  const pair = generateSigningKeyPair();

  it("verifies a v1a signature with the endpoint's public key", () => {
    const headers = signed(body, [pair.secretKey]);
    expect(headers["webhook-signature"]).toMatch(/^v1a,/);
    expect(knownEvent(verifyWebhook({ body, headers, secret: pair.publicKey, now }))).toEqual(
      event,
    );
  });

  it("accepts an array mixing whsec_ secrets and whpk_ keys, in any order", () => {
    const other = generateSigningKeyPair();
    const hmacOnly = signed(body, [secret]);
    const ed25519Only = signed(body, [pair.secretKey]);
    const keys = [other.publicKey, pair.publicKey, secret];
    for (const headers of [hmacOnly, ed25519Only]) {
      expect(verifyWebhook({ body, headers, secret: keys, now }).id).toBe("evt_1");
    }
  });

  it("rejects a v1a signature from another key and a tampered body", () => {
    const other = generateSigningKeyPair();
    const headers = signed(body, [other.secretKey]);
    const cases = [
      () => verifyWebhook({ body, headers, secret: pair.publicKey, now }),
      () =>
        verifyWebhook({
          body: body.replace("18500", "99999"),
          headers: signed(body, [pair.secretKey]),
          secret: pair.publicKey,
          now,
        }),
    ];
    for (const run of cases) expect(rejection(run).reason).toBe("invalid_signature");
  });

  it("throws a TypeError when given the secret key instead of the public key", () => {
    const run = () =>
      verifyWebhook({ body, headers: signed(body, [pair.secretKey]), secret: pair.secretKey, now });
    expect(run).toThrow(TypeError);
  });
});

describe("WebhookVerificationError from @claimwire/sdk", () => {
  it("catches a rejection thrown by @claimwire/webhooks' own verifyWebhook", () => {
    const error = rejection(() =>
      verifySignature({ body, headers: signed(body), secret: generateSecret(), now }),
    );
    expect(error.reason).toBe("invalid_signature");
    expect(error.name).toBe("WebhookVerificationError");
  });

  it("is what @claimwire/webhooks catches for the SDK's own event rejections", () => {
    const text = "not json";
    let caught: unknown;
    try {
      verifyWebhook({ body: text, headers: signed(text), secret, now });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SignatureLayerError);
    expect((caught as SignatureLayerError).reason).toBe("invalid_json");
  });

  it("passes a signature rejection through as thrown, not wrapped", () => {
    const error = rejection(() => verifyWebhook({ body, headers: {}, secret, now }));
    expect(error.reason).toBe("missing_headers");
    expect(error.cause).toBeUndefined();
  });
});
