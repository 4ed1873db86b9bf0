import type { NatsConnection } from "@nats-io/transport-node";

export type ConnectionState = {
  /** undefined while connected; otherwise why not, for a readiness check. */
  problem(): "disconnected" | "closed" | "draining" | undefined;
};

/**
 * Follows a connection's status events (nats.js reconnects by itself; meanwhile requests
 * and pulls wait), so a readiness probe can say "not ready" without a round trip.
 */
export function watchConnectionState(nc: NatsConnection): ConnectionState {
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === "disconnect") connected = false;
      else if (status.type === "reconnect") connected = true;
    }
  })().catch(() => {});
  return {
    problem: () => {
      if (nc.isClosed()) return "closed";
      if (nc.isDraining()) return "draining";
      return connected ? undefined : "disconnected";
    },
  };
}
