import type { ConnectionState } from "@claimwire/queue";
import type { ReadinessChecks } from "@claimwire/service";

/**
 * What the worker's /readyz asks: connected to NATS, pulling from the delivery consumer,
 * and not draining (after SIGTERM it finishes its requests and takes no more).
 */
export function workerReadiness({
  connection,
  consuming,
  draining,
}: {
  connection: ConnectionState;
  consuming: () => boolean;
  draining: () => boolean;
}): ReadinessChecks {
  return {
    draining: () => (draining() ? "draining" : undefined),
    nats: () => connection.problem(),
    consumer: () => (consuming() ? undefined : "not consuming"),
  };
}
