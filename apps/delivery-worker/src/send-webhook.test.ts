import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { freePort } from "@claimwire/queue/testing";
import { buildWebhookHeaders, generateSecret, verifyWebhook } from "@claimwire/webhooks";
import { Agent } from "undici";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startHttpServer, type TestHttpServer } from "../test/http-server.ts";
import { sendWebhook, USER_AGENT } from "./send-webhook.ts";

const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
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
    expect(result).toEqual({ outcome: "delivered", statusCode: 204, error: null });

    const [received] = receiver.requests;
    expect(received?.method).toBe("POST");
    expect(received?.path).toBe("/hooks");
    expect(received?.body).toBe(body);
    expect(received?.headers["content-type"]).toBe("application/json");
    expect(received?.headers["user-agent"]).toBe(USER_AGENT);
    const verified = verifyWebhook({
      secret,
      headers: received?.headers ?? {},
      body: received?.body ?? "",
    });
    expect(verified.msgId).toBe(msgId);
  });

  it("fails on a 500 with the status in the error", async () => {
    const receiver = await server((_req, res) => res.writeHead(500).end());
    expect(await send(receiver.url)).toEqual({
      outcome: "failed",
      statusCode: 500,
      error: "http_500",
    });
  });

  it("keeps only the start of a large error body", async () => {
    const receiver = await server((_req, res) => res.writeHead(503).end("busy ".repeat(100_000)));
    const result = await send(receiver.url);
    expect(result.statusCode).toBe(503);
    expect(result.error?.startsWith("http_503: busy busy")).toBe(true);
    expect(result.error?.length).toBeLessThanOrEqual(2000);
  });

  it("never follows a redirect", async () => {
    const target = await server((_req, res) => res.writeHead(204).end());
    const redirecting = await server((_req, res) =>
      res.writeHead(302, { location: `${target.url}/elsewhere` }).end(),
    );
    expect(await send(redirecting.url)).toEqual({
      outcome: "failed",
      statusCode: 302,
      error: "http_302",
    });
    expect(redirecting.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });

  it("times out when the receiver never answers", async () => {
    const hung = await server(() => {});
    expect(await send(hung.url, 200)).toEqual({
      outcome: "failed",
      statusCode: null,
      error: "timeout",
    });
  });

  it("times out when the receiver stalls in the middle of an error body", async () => {
    const stalling = await server((_req, res) => {
      res.writeHead(500);
      res.write("partial");
    });
    const result = await send(stalling.url, 200);
    expect(result.outcome).toBe("failed");
    expect(result.statusCode).toBe(500);
  });

  it("reports a closed port as connection refused", async () => {
    const port = await freePort();
    expect(await send(`http://127.0.0.1:${port}/hooks`)).toEqual({
      outcome: "failed",
      statusCode: null,
      error: "connection_refused: ECONNREFUSED",
    });
  });
});
