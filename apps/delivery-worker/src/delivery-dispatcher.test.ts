import { afterEach, describe, expect, it } from "vitest";
import { startHttpServer, type TestHttpServer } from "../test/http-server.ts";
import { startSelfSignedHttpsServer } from "../test/https-server.ts";
import { createDeliveryDispatcher } from "./delivery-dispatcher.ts";
import type { ResolveAll } from "./guarded-lookup.ts";
import { SsrfBlockedError } from "./ssrf-guard.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function receiver(): Promise<TestHttpServer> {
  const server = await startHttpServer((_req, res) => res.writeHead(204).end());
  closers.push(() => server.close());
  return server;
}

function dispatcher(allowPrivateNetworks: string[], resolve?: ResolveAll) {
  const agent = createDeliveryDispatcher({
    allowPrivateNetworks,
    connectTimeoutMs: 5_000,
    resolve,
  });
  closers.push(() => agent.close());
  return agent;
}

/** POSTs through the dispatcher; returns the status or the error thrown. */
async function post(agent: ReturnType<typeof dispatcher>, url: string) {
  try {
    const res = await agent.request({ ...splitUrl(url), method: "POST", body: "{}" });
    await res.body.dump();
    return res.statusCode;
  } catch (error) {
    return error;
  }
}

function splitUrl(url: string) {
  const { origin, pathname } = new URL(url);
  return { origin, path: pathname };
}

describe("the guarded delivery dispatcher", () => {
  it("refuses an IP-literal loopback URL before dialing it", async () => {
    const server = await receiver();
    const error = await post(dispatcher([]), server.url);
    expect(error).toBeInstanceOf(SsrfBlockedError);
    expect((error as Error).message).toMatch(/^address 127\.0\.0\.1 is in the loopback range/);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a hostname that resolves to loopback (the DNS path: localhost)", async () => {
    const server = await receiver();
    const url = `http://localhost:${new URL(server.url).port}/`;
    const error = await post(dispatcher([]), url);
    expect(error).toBeInstanceOf(SsrfBlockedError);
    expect((error as Error).message).toMatch(/address (127\.0\.0\.1|::1) is in the loopback range/);
    expect(server.requests).toHaveLength(0);
  });

  it("delivers to loopback when the allow-list names it, by address or by name", async () => {
    const server = await receiver();
    const agent = dispatcher(["127.0.0.0/8", "::1/128"]);
    expect(await post(agent, server.url)).toBe(204);
    expect(await post(agent, `http://localhost:${new URL(server.url).port}/`)).toBe(204);
    expect(server.requests).toHaveLength(2);
  });

  it("dials only an allowed address of a name that also resolves to a blocked one", async () => {
    const server = await receiver();
    const resolve: ResolveAll = (_host, _options, callback) =>
      callback(null, [
        { address: "169.254.169.254", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ]);
    const agent = dispatcher(["127.0.0.0/8"], resolve);
    expect(await post(agent, `http://metadata.rebind.test:${new URL(server.url).port}/`)).toBe(204);
    expect(server.requests).toHaveLength(1);
  });

  it("resolves once per connection and refuses when every address is blocked", async () => {
    let lookups = 0;
    const resolve: ResolveAll = (_host, _options, callback) => {
      lookups += 1;
      callback(null, [{ address: "192.168.1.20", family: 4 }]);
    };
    const error = await post(dispatcher([], resolve), "http://printer.rebind.test/");
    expect(error).toBeInstanceOf(SsrfBlockedError);
    expect((error as Error).message).toContain("address 192.168.1.20 is in the private range");
    expect(lookups).toBe(1);
  });

  it("guards the address of an https URL too, before any TLS handshake", async () => {
    const server = await startSelfSignedHttpsServer();
    closers.push(() => server.close());
    const url = `https://localhost:${server.port}/`;
    expect(await post(dispatcher([]), url)).toBeInstanceOf(SsrfBlockedError);
    expect(server.connections()).toBe(0);
    // Allowed, it connects, and certificate checks still apply: self-signed is refused.
    const error = await post(dispatcher(["127.0.0.0/8", "::1/128"]), url);
    expect((error as { code?: string }).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect(server.connections()).toBe(1);
  });
});
