import { waitFor } from "@claimwire/testing";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MetricsServer, startMetricsServer } from "../src/metrics-server.ts";
import { startWorkerHarness, type WorkerHarness } from "./worker-harness.ts";

let h: WorkerHarness;
let server: MetricsServer;

beforeAll(async () => {
  h = await startWorkerHarness();
  server = await startMetricsServer({ registry: h.metrics.registry, host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await server?.close();
  await h?.close();
});

async function scrape(): Promise<string> {
  const res = await request(server.url);
  expect(res.statusCode).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain/);
  return res.body.text();
}

/** The value of one sample, e.g. `claimwire_worker_in_flight` or `name{label="x"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("counts attempts by outcome and class and times them", async () => {
    const ok = await h.receiver((_req, res) => res.writeHead(204).end());
    const failing = await h.receiver((_req, res) => res.writeHead(502).end());
    const delivered = await h.publishTask((await h.endpoint(ok.url)).id, {
      committedAt: new Date(Date.now() - 2_000).toISOString(),
    });
    const retried = await h.publishTask((await h.endpoint(ok.url)).id, { attemptNumber: 2 });
    const failed = await h.publishTask((await h.endpoint(failing.url)).id);
    for (const task of [delivered, retried, failed]) await h.waitForReports(task);

    const text = await scrape();
    expect(
      sample(text, 'claimwire_worker_attempts_total{outcome="delivered",error_class="none"}'),
    ).toBe(2);
    expect(
      sample(text, 'claimwire_worker_attempts_total{outcome="failed",error_class="http_status"}'),
    ).toBe(1);
    expect(
      sample(text, 'claimwire_worker_attempt_duration_seconds_count{outcome="delivered"}'),
    ).toBe(2);
    expect(sample(text, 'claimwire_worker_attempt_duration_seconds_count{outcome="failed"}')).toBe(
      1,
    );

    // Commit → 2xx: the first attempt and a retry are told apart; the first one was
    // committed two seconds before it was published, and the histogram shows it.
    const first = 'attempt="first",trigger="scheduled"';
    expect(sample(text, `claimwire_worker_delivery_latency_seconds_count{${first}}`)).toBe(1);
    expect(sample(text, `claimwire_worker_delivery_latency_seconds_bucket{le="1",${first}}`)).toBe(
      0,
    );
    expect(sample(text, `claimwire_worker_delivery_latency_seconds_sum{${first}}`)).toBeGreaterThan(
      2,
    );
    expect(
      sample(
        text,
        'claimwire_worker_delivery_latency_seconds_count{attempt="retry",trigger="scheduled"}',
      ),
    ).toBe(1);
    expect(sample(text, "claimwire_worker_in_flight")).toBe(0);
  });

  it("shows requests in flight while an endpoint is slow to answer", async () => {
    const held: (() => void)[] = [];
    const slow = await h.receiver((_req, res) => held.push(() => res.writeHead(204).end()));
    const config = await h.endpoint(slow.url);
    const tasks = [await h.publishTask(config.id), await h.publishTask(config.id)];

    await waitFor("the slow endpoint to hold two requests", () => held.length === 2);
    expect(sample(await scrape(), "claimwire_worker_in_flight")).toBe(2);
    for (const release of held.splice(0)) release();
    for (const task of tasks) {
      const [report] = await h.waitForReports(task);
      expect(report?.outcome).toBe("delivered");
    }
    expect(sample(await scrape(), "claimwire_worker_in_flight")).toBe(0);
  });

  it("answers 404 for anything but /metrics", async () => {
    const res = await request(server.url.replace("/metrics", "/"));
    expect(res.statusCode).toBe(404);
    await res.body.dump();
  });
});
