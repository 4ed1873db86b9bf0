import { watchConnectionState } from "@claimwire/queue";
import { waitFor } from "@claimwire/testing";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MetricsServer, startMetricsServer } from "../src/metrics-server.ts";
import { workerReadiness } from "../src/worker-readiness.ts";
import { startWorkerHarness, type WorkerHarness } from "./worker-harness.ts";

let h: WorkerHarness;
let server: MetricsServer;
let draining = false;

beforeAll(async () => {
  h = await startWorkerHarness();
  server = await startMetricsServer({
    registry: h.metrics.registry,
    host: "127.0.0.1",
    port: 0,
    readiness: workerReadiness({
      connection: watchConnectionState(h.queue.nc),
      consuming: () => h.worker.consuming(),
      draining: () => draining,
    }),
  });
});
afterAll(async () => {
  await server?.close();
  await h?.close();
});

async function probe(path: "/healthz" | "/readyz") {
  const res = await request(server.url.replace(/\/metrics$/, path));
  return { status: res.statusCode, body: await res.body.json() };
}

describe("the worker's probes", () => {
  it("answer /healthz and, once it pulls deliveries, /readyz with 200", async () => {
    expect(await probe("/healthz")).toEqual({ status: 200, body: { ok: true } });
    await waitFor("the worker to pull", () => h.worker.consuming());
    expect(await probe("/readyz")).toEqual({ status: 200, body: { ready: true } });
  });

  it("answer /readyz with 503 naming NATS while NATS is down, and 200 once it is back", async () => {
    await h.nats.kill();
    try {
      const down = await waitFor("readyz to report NATS", async () => {
        const r = await probe("/readyz");
        return r.status === 503 && r;
      });
      expect(down.body).toMatchObject({ ready: false, notReady: { nats: "disconnected" } });
      expect((await probe("/healthz")).status).toBe(200);
    } finally {
      await h.nats.restart();
    }
    await waitFor("readyz to be ready again", async () => (await probe("/readyz")).status === 200, {
      timeoutMs: 15_000,
    });
  });

  it("answer /readyz with 503 once the worker drains and stops pulling", async () => {
    draining = true;
    await h.worker.stop();
    expect(await probe("/readyz")).toEqual({
      status: 503,
      body: { ready: false, notReady: { draining: "draining", consumer: "not consuming" } },
    });
  });
});
