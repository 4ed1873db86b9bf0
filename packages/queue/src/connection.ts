import { setTimeout as sleep } from "node:timers/promises";
import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { parseNatsServers } from "./settings.ts";
import { ENDPOINTS_BUCKET, ensureTopology, type TopologyOptions } from "./topology.ts";

export type Queue = {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  endpoints: KV;
  close(): Promise<void>;
};

/** How long a process waits at start for JetStream to take the topology. */
const STARTUP_WAIT_MS = 60_000;

/**
 * A cluster that is still forming (no meta leader yet, or fewer nodes up than the
 * replicas ask for) answers "temporarily unavailable", "insufficient resources", "no
 * suitable peers for placement, peer offline" (a node it knows of is not up yet) or not
 * at all; every process starts at once with the nodes, so wait for it rather than fail.
 */
async function untilTopologyApplied(nc: NatsConnection, topology: TopologyOptions = {}) {
  const deadline = Date.now() + STARTUP_WAIT_MS;
  for (;;) {
    try {
      return await ensureTopology(nc, await jetstreamManager(nc, { timeout: 10_000 }), topology);
    } catch (err) {
      const transient =
        /temporarily unavailable|insufficient resources|peer offline|timeout|no responders/i;
      if (Date.now() > deadline || !transient.test(String(err))) throw err;
      await sleep(500);
    }
  }
}

/**
 * Connects to NATS (waiting for the server if it is not up yet, reconnecting forever),
 * ensures the topology, and opens the endpoints bucket.
 */
export async function openQueue(opts: {
  /** One server or several of a cluster: a list, or NATS_URL's comma-separated form. */
  servers: string | readonly string[];
  name: string;
  topology?: TopologyOptions;
}): Promise<Queue> {
  const nc = await connect({
    servers: typeof opts.servers === "string" ? parseNatsServers(opts.servers) : [...opts.servers],
    name: opts.name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
  await untilTopologyApplied(nc, opts.topology);
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const endpoints = await new Kvm(js).open(ENDPOINTS_BUCKET);
  return {
    nc,
    js,
    jsm,
    endpoints,
    close: async () => {
      await nc.drain().catch(() => nc.close());
    },
  };
}
