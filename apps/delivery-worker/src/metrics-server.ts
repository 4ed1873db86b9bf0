import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { checkReadiness, type ReadinessChecks, readinessStatus } from "@claimwire/service";
import type { Registry } from "prom-client";

export type MetricsServer = {
  /** `http://host:port/metrics` */
  url: string;
  close(): Promise<void>;
};

/**
 * Serves `GET /metrics` in the Prometheus text format from `registry`, and the probes:
 * `GET /healthz` (alive) and `GET /readyz` (200 when every `readiness` check passes, else
 * 503 with the names of those that do not). Anything else is 404. Port 0 picks a free
 * port (tests).
 *
 * @example
 * const server = await startMetricsServer({ registry, host: "127.0.0.1", port: 9464 });
 */
export async function startMetricsServer({
  registry,
  host,
  port,
  readiness = {},
}: {
  registry: Registry;
  /** What /readyz asks; none: always ready. */
  readiness?: ReadinessChecks;
  host: string;
  port: number;
}): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = req.url?.split("?")[0];
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method === "GET" && path === "/healthz") {
      json(200, { ok: true });
      return;
    }
    if (req.method === "GET" && path === "/readyz") {
      void checkReadiness(readiness).then((r) => json(readinessStatus(r), r));
      return;
    }
    if (req.method !== "GET" || path !== "/metrics") {
      res
        .writeHead(404, { "content-type": "text/plain" })
        .end("Not found: try GET /metrics, /healthz or /readyz\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(String(err)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
