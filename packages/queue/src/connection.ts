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
  // Scaling a stream on a cluster answers only once its new peers have caught up.
  await ensureTopology(nc, await jetstreamManager(nc, { timeout: 30_000 }), opts.topology);
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
