import { seededRandom } from "@claimwire/testing";
import type { ChaosSystemOptions } from "../src/harness/chaos-system.ts";
import { CHAOS_RETRY_SCHEDULE, type ChaosConfig } from "./chaos-config.ts";

/**
 * The system of a chaos run (one nats-server or a cluster; one insurer on SQLite or
 * several on PostgreSQL) with the run's settings.
 */
export function chaosSystemOptions(
  config: ChaosConfig,
  { cluster = false, insurers = 1 }: { cluster?: boolean; insurers?: number } = {},
): ChaosSystemOptions {
  return {
    cluster,
    insurers,
    clinics: config.clinics,
    workers: config.workers,
    // Every process applies the topology at start: all must agree on the ack wait.
    sharedEnv: { DELIVERY_ACK_WAIT_MS: String(config.ackWaitMs) },
    insurerEnv: {
      DELIVERY_RETRY_SCHEDULE: CHAOS_RETRY_SCHEDULE,
      // An attempt lost with a killed process is re-sent after this (15 min in production).
      DELIVERY_STUCK_TIMEOUT_MS: String(4 * config.ackWaitMs),
    },
    workerEnv: {
      DELIVERY_TIMEOUT_MS: String(config.deliveryTimeoutMs),
    },
    clinicEnv: {
      // Webhooks alone must bring every event: the feed never takes one during the run.
      CLINIC_RECONCILE_SETTLE_MS: "3600000",
      // Events wait for their missing earlier versions rather than skip them.
      CLINIC_GAP_WAIT_MS: "600000",
    },
    proxy: {
      failRate: 0.3,
      stallRate: 0.1,
      stallMs: config.deliveryTimeoutMs + 500,
      random: (n) => seededRandom(config.seed + n),
    },
  };
}
