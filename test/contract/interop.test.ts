// Interop against code nobody here wrote: deliveries made by our real
// delivery worker (a separate process, real NATS, real HTTP) are verified, unchanged, by
// the `standardwebhooks` and `svix` npm packages; our SDK verifies what `standardwebhooks`
// signs; the public Standard Webhooks test vectors pass through our SDK, negatives too.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { WEBHOOK_EVENT_EXAMPLES, type WebhookEvent } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import {
  type EndpointConfig,
  openQueue,
  publishDeliveryTask,
  putEndpointConfig,
  type Queue,
} from "@claimwire/queue";
import { startNatsServer, type TestNatsServer } from "@claimwire/queue/testing";
import { verifyWebhook, WebhookVerificationError } from "@claimwire/sdk";
import { waitFor } from "@claimwire/testing";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServiceProcess, startService } from "../src/harness/service-process.ts";

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
const examples = Object.values(WEBHOOK_EVENT_EXAMPLES) as WebhookEvent[];

/** One received request and what each verifier made of it. */
type Received = {
  webhookId: string;
  headers: Record<string, string>;
  body: string;
  verdicts: Record<string, unknown>;
};

/** Runs a verifier; its result, or the error it threw as `rejected: <message>`. */
function verdict(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return `rejected: ${(error as Error).message}`;
  }
}

/** The request's headers as the libraries take them: one string per lower-case name. */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

/**
 * A Svix-based receiver that reads `svix-*` headers: what it sees when a proxy (or the
 * integrator) renames ours — the same values under Svix's names.
 */
function asSvixHeaders(headers: Record<string, string>): Record<string, string> {
  return {
    "svix-id": headers["webhook-id"] ?? "",
    "svix-timestamp": headers["webhook-timestamp"] ?? "",
    "svix-signature": headers["webhook-signature"] ?? "",
  };
}

describe("our delivery worker's requests, verified by standardwebhooks and svix", () => {
  let nats: TestNatsServer;
  let queue: Queue;
  let worker: ServiceProcess;
  let server: Server;
  let url: string;
  const received: Received[] = [];
  const secretsByPath = new Map<string, string[]>();

  beforeAll(async () => {
    nats = await startNatsServer();
    queue = await openQueue({ servers: nats.url, name: "interop-test" });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = flatHeaders(req.headers);
        const verdicts: Record<string, unknown> = {};
        for (const [i, secret] of (secretsByPath.get(req.url ?? "") ?? []).entries()) {
          verdicts[`standardwebhooks, key ${i}`] = verdict(() =>
            new StandardWebhook(secret).verify(body, headers),
          );
          verdicts[`svix, webhook-* headers, key ${i}`] = verdict(() =>
            new SvixWebhook(secret).verify(body, headers),
          );
          verdicts[`svix, svix-* headers, key ${i}`] = verdict(() =>
            new SvixWebhook(secret).verify(body, asSvixHeaders(headers)),
          );
          verdicts[`@claimwire/sdk, key ${i}`] = verdict(() => {
            const verified = verifyWebhook({ body, headers, secret });
            return verified.known ? verified.event : verified.payload;
          });
        }
        received.push({ webhookId: headers["webhook-id"] ?? "", headers, body, verdicts });
        const rejected = Object.values(verdicts).some((v) => String(v).startsWith("rejected"));
        res.writeHead(rejected ? 401 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    worker = await startService("delivery-worker", "apps/delivery-worker", {
      NATS_URL: nats.url,
      // The receiver is on loopback, which the SSRF guard refuses unless allowed.
      DELIVERY_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8,::1/128",
      WORKER_ID: "interop",
    });
    await worker.waitForLog("ready");
  }, 120_000);

  afterAll(async () => {
    await worker?.kill();
    await queue?.close();
    await nats?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function deliver(path: string, config: Partial<EndpointConfig>, event: WebhookEvent) {
    const endpoint: EndpointConfig = {
      id: newId("endpoint"),
      clinicId: "cln_01JDQ6Y0000000000000000000",
      url: `${url}${path}`,
      enabled: true,
      secrets: [newSecret()],
      retiringSecrets: [],
      ...config,
    };
    await putEndpointConfig(queue.endpoints, endpoint);
    const eventId = newId("event");
    await publishDeliveryTask(queue.js, {
      deliveryId: newId("delivery"),
      eventId,
      endpointId: endpoint.id,
      clinicId: endpoint.clinicId,
      eventType: event.type,
      attemptNumber: 1,
      trigger: "scheduled",
      body: JSON.stringify(event),
      committedAt: new Date().toISOString(),
    });
    return await waitFor(`the delivery of ${event.type} to ${path}`, () =>
      received.find((r) => r.webhookId === eventId),
    );
  }

  it("signs every event type so that both libraries, and our SDK, accept it unchanged", async () => {
    const secret = newSecret();
    secretsByPath.set("/hooks/one-key", [secret]);
    for (const event of examples) {
      const request = await deliver("/hooks/one-key", { secrets: [secret] }, event);
      expect(JSON.parse(request.body)).toEqual(event);
      expect(request.headers["content-type"]).toMatch(/^application\/json/);
      expect(request.verdicts).toEqual({
        "standardwebhooks, key 0": event,
        "svix, webhook-* headers, key 0": event,
        "svix, svix-* headers, key 0": event,
        "@claimwire/sdk, key 0": event,
      });
    }
  });

  it("during a secret rotation signs with both keys, and each library accepts either", async () => {
    const [next, previous] = [newSecret(), newSecret()];
    secretsByPath.set("/hooks/rotating", [next, previous]);
    const event = examples[0]!;
    const request = await deliver(
      "/hooks/rotating",
      {
        secrets: [next],
        retiringSecrets: [
          { secret: previous, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
        ],
      },
      event,
    );
    expect(request.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(Object.values(request.verdicts)).toEqual(Array(8).fill(event));
  });

  it("fails verification for a key the endpoint does not have (the check is real)", async () => {
    secretsByPath.set("/hooks/wrong-key", [newSecret()]);
    const request = await deliver("/hooks/wrong-key", {}, examples[0]!);
    for (const [verifier, result] of Object.entries(request.verdicts)) {
      expect(String(result), verifier).toMatch(/^rejected: /);
    }
  });
});

describe("our SDK and code nobody here wrote", () => {
  it("verifies what the standardwebhooks package signs, for every event type", () => {
    const secret = newSecret();
    const signer = new StandardWebhook(secret);
    for (const event of examples) {
      const body = JSON.stringify(event);
      const at = new Date();
      const headers = {
        "webhook-id": "msg_theirs",
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signer.sign("msg_theirs", at, body),
      };
      expect(verifyWebhook({ body, headers, secret })).toEqual({
        known: true,
        id: "msg_theirs",
        timestamp: new Date(Math.floor(at.getTime() / 1000) * 1000),
        event,
      });
    }
  });

  describe("with the public Standard Webhooks test vectors", () => {
    type Vectors = {
      valid: {
        secret: string;
        msgId: string;
        timestamp: number;
        payload: string;
        signature: string;
      }[];
      invalidSignatureHeaders: string[];
      validMultiSignatureHeader: string;
    };
    // test/contract/ → ../shared beside the repo, unless CLAIMWIRE_SHARED_DIR says where.
    const path = process.env.CLAIMWIRE_SHARED_DIR
      ? join(process.env.CLAIMWIRE_SHARED_DIR, "vectors/standard-webhooks.json")
      : new URL("../../../shared/vectors/standard-webhooks.json", import.meta.url);
    const vectors = JSON.parse(readFileSync(path, "utf8")) as Vectors;
    const vector = vectors.valid[0]!;

    /** The SDK's verdict: the rejection reason, or "accepted" (its body is no claim event). */
    function sdkVerdict(overrides: { signature?: string; nowSeconds?: number } = {}): string {
      try {
        verifyWebhook({
          body: vector.payload,
          headers: {
            "webhook-id": vector.msgId,
            "webhook-timestamp": String(vector.timestamp),
            "webhook-signature": overrides.signature ?? vector.signature,
          },
          secret: vector.secret,
          now: () => (overrides.nowSeconds ?? vector.timestamp) * 1000,
        });
        return "accepted as a claim event";
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        // The vectors' payload is `{"test": …}`: reaching the schema check means the
        // signature and the timestamp were accepted.
        return error.reason === "invalid_payload" ? "signature accepted" : error.reason;
      }
    }

    it("accepts the valid vector's signature", () => {
      expect(sdkVerdict()).toBe("signature accepted");
    });

    it.each(vectors.invalidSignatureHeaders)(
      "rejects the signature header %j (wrong version prefix, truncated, empty, garbage)",
      (signature) => {
        expect(sdkVerdict({ signature })).toBe("invalid_signature");
      },
    );

    it("accepts a header with several signatures of which one is valid", () => {
      expect(sdkVerdict({ signature: vectors.validMultiSignatureHeader })).toBe(
        "signature accepted",
      );
    });

    it("rejects the vector more than five minutes after, and before, its timestamp", () => {
      expect(sdkVerdict({ nowSeconds: vector.timestamp + 301 })).toBe("timestamp_too_old");
      expect(sdkVerdict({ nowSeconds: vector.timestamp - 301 })).toBe("timestamp_in_future");
      expect(sdkVerdict({ nowSeconds: vector.timestamp + 299 })).toBe("signature accepted");
    });
  });
});
