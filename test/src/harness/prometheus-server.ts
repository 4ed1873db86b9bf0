import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prometheusConfigDir } from "@claimwire/ops";
import { freePort, spawnProcess } from "@claimwire/testing";
import { parse, stringify } from "yaml";
import { waitForHttpStatus } from "./http-readiness.ts";

export type PrometheusServer = {
  /** `http://127.0.0.1:<port>`: the HTTP API is under /api/v1. */
  url: string;
  /** GET `path` of the HTTP API (e.g. `/api/v1/alerts`) and its `data`. */
  api<T>(path: string): Promise<T>;
  stop(): Promise<void>;
};

/**
 * A real Prometheus (the `prometheus` binary, Debian package `prometheus`) running the
 * committed ops/prometheus setup: prometheus.yml and alerts.yml as they are, with only
 * what differs in a test changed — the targets files (file_sd) name the given processes,
 * and scrapes and rule evaluations run every `intervalSeconds` instead of 15 s. Storage
 * is a temporary folder, removed at stop.
 */
export async function startPrometheus(opts: {
  /** `host:port` of each job's processes, by the job's targets file (`insurer`, `delivery-worker`). */
  targets: Record<string, string[]>;
  intervalSeconds?: number;
}): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), "claimwire-prometheus-"));
  await cp(prometheusConfigDir, dir, { recursive: true });
  const configFile = join(dir, "prometheus.yml");
  const config = parse(await readFile(configFile, "utf8")) as { global: Record<string, string> };
  const interval = `${opts.intervalSeconds ?? 1}s`;
  config.global.scrape_interval = interval;
  config.global.evaluation_interval = interval;
  await writeFile(configFile, stringify(config));
  for (const [file, targets] of Object.entries(opts.targets)) {
    await writeFile(join(dir, "targets", `${file}.json`), JSON.stringify([{ targets }]));
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnProcess("prometheus", "prometheus", [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--log.level=warn",
  ]);
  const stop = async () => {
    await server.kill();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttpStatus("prometheus", `${url}/-/ready`, 200);
  } catch (err) {
    await stop();
    const hint =
      server.lines.length === 0 ? " (is `prometheus` installed? apt-get install prometheus)" : "";
    throw new Error(`${(err as Error).message}${hint}\n${server.lines.slice(-20).join("\n")}`);
  }
  return {
    url,
    async api<T>(path: string) {
      const res = await fetch(`${url}${path}`);
      const body = (await res.json()) as { status: string; data: T; error?: string };
      if (body.status !== "success") throw new Error(`${path}: ${body.error ?? res.status}`);
      return body.data;
    },
    stop,
  };
}
