import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { buildWebhookHeaders, generateSecret, generateSigningKeyPair } from "@claimwire/webhooks";
import { describe, expect, it } from "vitest";
import { WebhookVerificationError } from "./index.ts";
import { verifyFetchRequest, verifyNodeRequest, verifyRawBody } from "./request-adapters.ts";

const secret = generateSecret();
const timestamp = 1_800_000_000;
const now = () => timestamp * 1000;
const event = WEBHOOK_EVENT_EXAMPLES["claim.approved"];
const body = JSON.stringify(event);
const signed = (payload: string, secrets = [secret]) =>
  buildWebhookHeaders({ secrets, msgId: "evt_1", timestamp, body: payload });
// Node, Express and Fastify hand over headers lower-cased, as a record.
const nodeHeaders = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

describe("verifyRawBody (Express, Fastify)", () => {
  it("verifies a raw Buffer body with Node-style headers", () => {
    const verified = verifyRawBody(
      { rawBody: Buffer.from(body), headers: nodeHeaders(signed(body)) },
      secret,
      { now },
    );
    expect(verified).toEqual({
      known: true,
      id: "evt_1",
      timestamp: new Date(timestamp * 1000),
      event,
    });
  });

  it("takes a Fastify-style request that carries rawBody as a string", () => {
    const request = { rawBody: body, headers: nodeHeaders(signed(body)), body: event };
    expect(verifyRawBody(request, secret, { now })).toMatchObject({ known: true, event });
  });

  it("rejects a tampered body as invalid_signature", () => {
    const request = { rawBody: Buffer.from(`${body} `), headers: nodeHeaders(signed(body)) };
    const run = () => verifyRawBody(request, secret, { now });
    expect(run).toThrow(WebhookVerificationError);
    expect(run).toThrow(expect.objectContaining({ reason: "invalid_signature" }));
  });

  it("says how to keep the raw bytes when a JSON parser ran first or no body was kept", () => {
    const headers = nodeHeaders(signed(body));
    // What `req.body` is after express.json(): an object, typed `any` by Express.
    const parsed: unknown = JSON.parse(body);
    for (const rawBody of [parsed, undefined]) {
      const run = () =>
        verifyRawBody({ rawBody: rawBody as string | undefined, headers }, secret, { now });
      expect(run).toThrow(TypeError);
      expect(run).toThrow(/raw request body.*express\.raw/);
    }
  });
});

describe("every adapter with an event type the SDK does not know", () => {
  it("returns it as known: false with its payload, as verifyWebhook does", async () => {
    const newer = JSON.stringify({ type: "claim.reopened", timestamp: event.timestamp, data: {} });
    const expected = {
      known: false,
      id: "evt_1",
      type: "claim.reopened",
      payload: JSON.parse(newer),
    };
    const headers = signed(newer);
    expect(
      verifyRawBody({ rawBody: Buffer.from(newer), headers: nodeHeaders(headers) }, secret, {
        now,
      }),
    ).toMatchObject(expected);
    expect(
      verifyNodeRequest({ headers: nodeHeaders(headers) }, newer, secret, { now }),
    ).toMatchObject(expected);
    const request = new Request("http://clinic.test/webhooks", {
      method: "POST",
      headers,
      body: newer,
    });
    expect(await verifyFetchRequest(request, secret, { now })).toMatchObject(expected);
  });
});

describe("verifyFetchRequest", () => {
  it("reads the raw body of a fetch Request", async () => {
    const request = new Request("http://clinic.test/webhooks", {
      method: "POST",
      headers: signed(body),
      body,
    });
    const verified = await verifyFetchRequest(request, secret, { now });
    expect(verified).toMatchObject({ known: true, event });
  });

  it("accepts a whpk_ public key and a mixed array", async () => {
    const pair = generateSigningKeyPair();
    const request = () =>
      new Request("http://clinic.test/webhooks", {
        method: "POST",
        headers: signed(body, [secret, pair.secretKey]),
        body,
      });
    expect((await verifyFetchRequest(request(), pair.publicKey, { now })).id).toBe("evt_1");
    const mixed = [generateSecret(), pair.publicKey];
    expect((await verifyFetchRequest(request(), mixed, { now })).id).toBe("evt_1");
  });
});

describe("verifyNodeRequest", () => {
  it("verifies a delivery received by node:http", async () => {
    // The receiver holds both an HMAC secret and an ed25519 public key, as during a
    // switch from one to the other; a request signed with either passes.
    const pair = generateSigningKeyPair();
    const keys = [secret, pair.publicKey];
    const results: unknown[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        try {
          const verified = verifyNodeRequest(req, Buffer.concat(chunks), keys, { now });
          results.push(verified.known ? verified.event : verified.type);
          res.writeHead(204).end();
        } catch (error) {
          results.push(error);
          res.writeHead(401).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/`;
      const good = await fetch(url, { method: "POST", headers: signed(body), body });
      const headers = signed(body, [pair.secretKey]);
      const goodEd25519 = await fetch(url, { method: "POST", headers, body });
      const bad = await fetch(url, { method: "POST", headers, body: `${body} ` });
      const newer = '{"type":"claim.reopened","data":{}}';
      const unknown = await fetch(url, { method: "POST", headers: signed(newer), body: newer });
      expect([good.status, goodEd25519.status, bad.status, unknown.status]).toEqual([
        204, 204, 401, 204,
      ]);
      expect(results.slice(0, 2)).toEqual([event, event]);
      expect((results[2] as WebhookVerificationError).reason).toBe("invalid_signature");
      expect(results[3]).toBe("claim.reopened");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
