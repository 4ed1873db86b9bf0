import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
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
  url: string;
  name: string;
  topology?: TopologyOptions;
}): Promise<Queue> {
  const nc = await connect({
    servers: opts.url,
    name: opts.name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
  const jsm = await jetstreamManager(nc);
  await ensureTopology(nc, jsm, opts.topology);
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
