import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { freePort } from "@claimwire/testing";
import {
  buildWebhookHeaders,
  generateSecret,
  verifyWebhook,
  WEBHOOK_USER_AGENT,
} from "@claimwire/webhooks";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startHttpServer, type TestHttpServer } from "../test/http-server.ts";
import { startSelfSignedHttpsServer } from "../test/https-server.ts";
import { createDeliveryDispatcher } from "./delivery-dispatcher.ts";
import { sendWebhook } from "./send-webhook.ts";

const dispatcher = createDeliveryDispatcher({
  allowPrivateNetworks: ["127.0.0.0/8", "::1/128"],
  connectTimeoutMs: 5_000,
  keepAliveTimeoutMs: 1_000,
});
const secret = generateSecret();
const body = JSON.stringify(WEBHOOK_EVENT_EXAMPLES["claim.approved"]);
const msgId = "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6";

function send(url: string, timeoutMs = 5_000) {
  const timestamp = Math.floor(Date.now() / 1000);
  const webhookHeaders = buildWebhookHeaders({ secrets: [secret], msgId, timestamp, body });
  return sendWebhook({ dispatcher, url, webhookHeaders, body, timeoutMs });
}

const servers: TestHttpServer[] = [];
async function server(respond: Parameters<typeof startHttpServer>[0]) {
  const started = await startHttpServer(respond);
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await dispatcher.close();
});

describe("sendWebhook", () => {
  it("delivers on a 2xx, with a body and headers the receiver can verify", async () => {
    const receiver = await server((_req, res) => res.writeHead(204).end());
    const result = await send(`${receiver.url}/hooks`);
    expect(result).toMatchObject({ outcome: "delivered", statusCode: 204, errorClass: null });

    const [received] = receiver.requests;
    expect(received?.method).toBe("POST");
    expect(received?.path).toBe("/hooks");
    expect(received?.body).toBe(body);
    expect(received?.headers["content-type"]).toBe("application/json");
    expect(received?.headers["user-agent"]).toBe(WEBHOOK_USER_AGENT);
    const verified = verifyWebhook({
      secret,
      headers: received?.headers ?? {},
      body: received?.body ?? "",
    });
    expect(verified.msgId).toBe(msgId);
  });

  it("fails on a 500 and keeps what the receiver said", async () => {
    const receiver = await server((_req, res) =>
      res.writeHead(500, { "content-type": "application/json" }).end('{"error":"db down"}'),
    );
    expect(await send(receiver.url)).toEqual({
      outcome: "failed",
      statusCode: 500,
      errorClass: "http_status",
      error: "HTTP 500",
      retryAfterMs: null,
      responseHeaders: expect.objectContaining({ "content-type": "application/json" }),
      responseBody: '{"error":"db down"}',
    });
  });

  it("never follows a redirect", async () => {
    const target = await server((_req, res) => res.writeHead(204).end());
    const redirecting = await server((_req, res) =>
      res.writeHead(302, { location: `${target.url}/elsewhere` }).end(),
    );
    expect(await send(redirecting.url)).toMatchObject({
      outcome: "failed",
      statusCode: 302,
      errorClass: "http_status",
      responseHeaders: { location: `${target.url}/elsewhere` },
    });
    expect(redirecting.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });

  it("times out when the receiver never answers", async () => {
    const hung = await server(() => {});
    expect(await send(hung.url, 200)).toMatchObject({
      outcome: "failed",
      statusCode: null,
      errorClass: "timeout",
      error: "No complete answer within 200 ms",
    });
  });

  it("keeps the status and the partial body when the receiver stalls mid-body", async () => {
    const stalling = await server((_req, res) => {
      res.writeHead(500);
      res.write("partial");
    });
    expect(await send(stalling.url, 200)).toMatchObject({
      outcome: "failed",
      statusCode: 500,
      responseBody: "partial",
    });
  });

  it("reports a closed port as connection refused", async () => {
    const port = await freePort();
    expect(await send(`http://127.0.0.1:${port}/hooks`)).toMatchObject({
      outcome: "failed",
      statusCode: null,
      errorClass: "connection_refused",
      error: expect.stringContaining("ECONNREFUSED"),
    });
  });

  it("reports a name that does not resolve as dns", async () => {
    expect(await send("http://no-such-host.invalid/hooks")).toMatchObject({
      errorClass: "dns",
      error: expect.stringContaining("no-such-host.invalid"),
    });
  });

  it("reports a certificate it cannot trust as tls", async () => {
    const server = await startSelfSignedHttpsServer();
    try {
      expect(await send(`https://localhost:${server.port}/hooks`)).toMatchObject({
        outcome: "failed",
        statusCode: null,
        errorClass: "tls",
        error: expect.stringContaining("DEPTH_ZERO_SELF_SIGNED_CERT"),
      });
    } finally {
      await server.close();
    }
  });
});
