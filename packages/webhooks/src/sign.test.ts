import { describe, expect, it } from "vitest";
import { generateSecret } from "./secret.ts";
import { buildWebhookHeaders, signatureHeader, signPayload } from "./sign.ts";

const secret = generateSecret();
const msgId = "msg_2YhV1x";
const timestamp = 1_700_000_000;

describe("signPayload", () => {
  it("signs the exact UTF-8 bytes: a Uint8Array body and the same string agree", () => {
    const text = '{"patient":"Zoë Ångström","note":"腰痛 🩻","amount":"€12.50"}';
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThan(text.length);
    expect(signPayload({ secret, msgId, timestamp, body: bytes })).toBe(
      signPayload({ secret, msgId, timestamp, body: text }),
    );
  });

  it("signs a Uint8Array view at its own offset, not its whole backing buffer", () => {
    const backing = new TextEncoder().encode('xx{"a":1}yy');
    const view = backing.subarray(2, 9);
    expect(signPayload({ secret, msgId, timestamp, body: view })).toBe(
      signPayload({ secret, msgId, timestamp, body: '{"a":1}' }),
    );
  });

  it("rejects a timestamp that is not whole seconds", () => {
    expect(() => signPayload({ secret, msgId, timestamp: 1.5, body: "" })).toThrow(TypeError);
  });
});

describe("signatureHeader", () => {
  it("lists one v1 signature per secret, space-separated, in order", () => {
    const other = generateSecret();
    const content = { msgId, timestamp, body: "{}" };
    expect(signatureHeader([secret, other], content)).toBe(
      `${signPayload({ secret, ...content })} ${signPayload({ secret: other, ...content })}`,
    );
  });

  it("refuses to sign without a secret", () => {
    expect(() => signatureHeader([], { msgId, timestamp, body: "{}" })).toThrow(/secret/);
  });
});

describe("buildWebhookHeaders", () => {
  it("returns the three Standard Webhooks headers", () => {
    const headers = buildWebhookHeaders({ secrets: [secret], msgId, timestamp, body: "{}" });
    expect(headers).toEqual({
      "webhook-id": msgId,
      "webhook-timestamp": "1700000000",
      "webhook-signature": signPayload({ secret, msgId, timestamp, body: "{}" }),
    });
  });
});
