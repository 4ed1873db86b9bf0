import { describe, expect, it } from "vitest";
import { generateSecret } from "./secret.ts";
import { buildWebhookHeaders } from "./sign.ts";
import { verifyWebhook } from "./verify.ts";
import { WebhookVerificationError } from "./webhook-verification-error.ts";

const secret = generateSecret();
const msgId = "msg_2YhV1x";
const timestamp = 1_700_000_000;
const now = () => timestamp * 1000;
const body = '{"type":"claim.approved","data":{"claimId":"clm_1"}}';
const headers = buildWebhookHeaders({ secrets: [secret], msgId, timestamp, body });

function rejection(run: () => unknown): WebhookVerificationError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error("expected verification to fail");
}

describe("verifyWebhook", () => {
  it("returns id, timestamp and body of a valid delivery", () => {
    expect(verifyWebhook({ secret, headers, body, now })).toEqual({ msgId, timestamp, body });
  });

  it("accepts the body as bytes and returns it as text", () => {
    const bytes = new TextEncoder().encode(body);
    expect(verifyWebhook({ secret, headers, body: bytes, now }).body).toBe(body);
  });

  it("reads a WHATWG Headers object", () => {
    expect(verifyWebhook({ secret, headers: new Headers(headers), body, now }).msgId).toBe(msgId);
  });

  it("reads record values given as arrays, as Headers.get() would join them", () => {
    const other = generateSecret();
    const signatures = buildWebhookHeaders({ secrets: [other, secret], msgId, timestamp, body })[
      "webhook-signature"
    ].split(" ");
    const record = { ...headers, "webhook-signature": signatures };
    expect(verifyWebhook({ secret, headers: record, body, now }).msgId).toBe(msgId);
  });

  it("names the missing headers", () => {
    const { "webhook-id": _id, "webhook-signature": _sig, ...partial } = headers;
    const error = rejection(() => verifyWebhook({ secret, headers: partial, body, now }));
    expect(error.reason).toBe("missing_headers");
    expect(error.message).toContain("webhook-id, webhook-signature");
    const empty = { ...headers, "webhook-timestamp": "" };
    expect(rejection(() => verifyWebhook({ secret, headers: empty, body, now })).reason).toBe(
      "missing_headers",
    );
  });

  it.each(["abc", "1700000000.5", "-1700000000", "1.7e9", " 1700000000", "99999999999999999"])(
    "rejects the timestamp %j as invalid",
    (value) => {
      const bad = { ...headers, "webhook-timestamp": value };
      expect(rejection(() => verifyWebhook({ secret, headers: bad, body, now })).reason).toBe(
        "invalid_timestamp",
      );
    },
  );

  it("accepts a timestamp exactly at the tolerance and rejects one second beyond", () => {
    const at = (seconds: number) => () => (timestamp + seconds) * 1000;
    expect(() => verifyWebhook({ secret, headers, body, now: at(300) })).not.toThrow();
    expect(() => verifyWebhook({ secret, headers, body, now: at(-300) })).not.toThrow();
    expect(rejection(() => verifyWebhook({ secret, headers, body, now: at(301) })).reason).toBe(
      "timestamp_too_old",
    );
    expect(rejection(() => verifyWebhook({ secret, headers, body, now: at(-301) })).reason).toBe(
      "timestamp_in_future",
    );
  });

  it("honours a custom tolerance", () => {
    const later = () => (timestamp + 60) * 1000;
    const run = () => verifyWebhook({ secret, headers, body, now: later, toleranceSeconds: 30 });
    expect(rejection(run).reason).toBe("timestamp_too_old");
  });

  it("rejects a tampered body, another secret, and a changed id", () => {
    const cases = [
      () => verifyWebhook({ secret, headers, body: body.replace("approved", "rejected"), now }),
      () => verifyWebhook({ secret: generateSecret(), headers, body, now }),
      () =>
        verifyWebhook({ secret, headers: { ...headers, "webhook-id": "msg_other" }, body, now }),
    ];
    for (const run of cases) expect(rejection(run).reason).toBe("invalid_signature");
  });

  it("never puts the secret or the expected signature in the message", () => {
    const error = rejection(() => verifyWebhook({ secret, headers, body: "{}", now }));
    const expected = buildWebhookHeaders({ secrets: [secret], msgId, timestamp, body: "{}" });
    expect(error.message).not.toContain(secret.slice(6));
    expect(error.message).not.toContain(expected["webhook-signature"].slice(3));
  });

  it("verifies with any of several secrets during rotation", () => {
    const next = generateSecret();
    const rotating = buildWebhookHeaders({ secrets: [secret, next], msgId, timestamp, body });
    expect(() => verifyWebhook({ secret, headers: rotating, body, now })).not.toThrow();
    expect(() => verifyWebhook({ secret: next, headers: rotating, body, now })).not.toThrow();
    expect(() => verifyWebhook({ secret: [next, secret], headers, body, now })).not.toThrow();
  });

  it("throws a TypeError, not a rejection, when the secret is misconfigured", () => {
    expect(() => verifyWebhook({ secret: "whsec_%%%", headers, body, now })).toThrow(TypeError);
    expect(() => verifyWebhook({ secret: [], headers, body, now })).toThrow(TypeError);
  });
});
