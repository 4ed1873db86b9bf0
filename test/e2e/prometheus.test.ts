import { freePort, waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrometheusServer, startPrometheus } from "../src/harness/prometheus-server.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

/**
 * The committed Prometheus setup (ops/prometheus) against a running system: a real
 * Prometheus scrapes the insurer and a delivery worker, every target is up, and an
 * endpoint disabled through the staff API fires ClaimwireEndpointDisabled. That alert is
 * the one checked because its `for` is 0 s (a disabled endpoint is a durable state): the
 * others wait minutes by design, and their timing is what the promtool tests check.
 */

type Target = { labels: Record<string, string>; health: string; lastError: string };
type Alert = { labels: Record<string, string>; state: string };
type RuleGroup = { rules: { name: string; lastEvaluation: string }[] };

let sys: RunningSystem;
let prometheus: PrometheusServer;

beforeAll(async () => {
  const workerMetricsPort = await freePort();
  sys = await startSystem({ workerEnv: { WORKER_METRICS_PORT: String(workerMetricsPort) } });
  prometheus = await startPrometheus({
    targets: {
      insurer: [new URL(sys.insurerUrl).host],
      "delivery-worker": [`127.0.0.1:${workerMetricsPort}`],
    },
  });
});
afterAll(async () => {
  await prometheus?.stop();
  await sys?.stop();
});

const endpointAlerts = async (endpointId: string) =>
  (await prometheus.api<{ alerts: Alert[] }>("/api/v1/alerts")).alerts.filter(
    (a) =>
      a.labels.alertname === "ClaimwireEndpointDisabled" && a.labels.endpoint_id === endpointId,
  );

describe("Prometheus with the committed configuration", () => {
  it("scrapes every process of the system", async () => {
    const targets = await waitFor("every target scraped and up", async () => {
      const { activeTargets } = await prometheus.api<{ activeTargets: Target[] }>(
        "/api/v1/targets",
      );
      return activeTargets.length === 2 && activeTargets.every((t) => t.health === "up")
        ? activeTargets
        : false;
    });
    expect(targets.map((t) => t.labels.job).sort()).toEqual([
      "claimwire-delivery-worker",
      "claimwire-insurer",
    ]);
  });

  it("fires ClaimwireEndpointDisabled once an endpoint is disabled through the staff API", async () => {
    const me = await sys.clinicClient.me.query();
    if (me.role !== "clinic") throw new Error("expected a clinic key");
    const [endpoint] = await sys.staff.endpoints.list.query({ clinicId: me.clinicId });
    if (!endpoint) throw new Error("the clinic registered no endpoint");

    // The targets are up (above): an evaluation from now on sees the endpoint enabled.
    const since = Date.now();
    await waitFor("the rule evaluated with the endpoint enabled", async () => {
      const { groups } = await prometheus.api<{ groups: RuleGroup[] }>("/api/v1/rules");
      const rule = groups
        .flatMap((g) => g.rules)
        .find((r) => r.name === "ClaimwireEndpointDisabled");
      return rule && Date.parse(rule.lastEvaluation) > since;
    });
    expect(await endpointAlerts(endpoint.id)).toEqual([]);

    await sys.staff.endpoints.disable.mutate({ endpointId: endpoint.id });
    const [alert] = await waitFor("the alert firing", async () => {
      const alerts = await endpointAlerts(endpoint.id);
      return alerts.some((a) => a.state === "firing") ? alerts : false;
    });
    expect(alert?.labels).toMatchObject({
      severity: "warning",
      clinic_id: me.clinicId,
      reason: "manual",
    });
  });
});
