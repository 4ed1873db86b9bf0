import { join } from "node:path";

/**
 * The folder of the committed Prometheus setup (prometheus.yml, alerts.yml, targets/),
 * for tests that run a real Prometheus with it (test/e2e/prometheus.test.ts).
 */
export const prometheusConfigDir = join(import.meta.dirname, "..", "prometheus");
