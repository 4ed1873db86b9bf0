import { setTimeout as sleep } from "node:timers/promises";
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { type NatsConnection, nanos } from "@nats-io/transport-node";

/**
 * Every stream, subject, consumer and bucket is declared here, once, and created
 * idempotently at start-up by whichever process starts first.
 *
 *   DELIVERIES  deliveries.<endpointId>         one task per due attempt (work queue)
 *   ATTEMPTS    attempts.<endpointId>           attempt reports back to the insurer
 *   KV endpoints                                 endpoint URL, secrets, enabled flag
 */
export const STREAMS = {
  deliveries: "DELIVERIES",
  attempts: "ATTEMPTS",
} as const;

export const CONSUMERS = {
  deliveryWorkers: "delivery-workers",
  attemptRecorder: "attempt-recorder",
} as const;

export const ENDPOINTS_BUCKET = "endpoints";

export const subjects = {
  delivery: (endpointId: string) => `deliveries.${endpointId}`,
  attempt: (endpointId: string) => `attempts.${endpointId}`,
};

export type TopologyOptions = {
  /** How long a delivery worker may hold a task before it is redelivered. */
  deliveryAckWaitMs?: number;
  /**
   * Copies of each stream and of the endpoints bucket (NATS_REPLICAS): 1 on one server,
   * 3 on a three-node cluster. Changing it on a running system scales them in place.
   */
  replicas?: number;
};

const MINUTE = 60_000;
/**
 * Dedup window for Nats-Msg-Id. At start the insurer's dispatcher republishes the
 * attempts it dispatched within it (a crash may have come between claim and publish), so
 * this is the longest insurer outage absorbed without a duplicate task; past it the
 * stuck scan takes over, and receivers tolerate duplicates anyway.
 */
export const DUPLICATE_WINDOW_MS = 10 * MINUTE;
/**
 * The delivery consumer's ack_wait unless the options say otherwise (each app reads
 * DELIVERY_ACK_WAIT_MS in its env parsing; every process re-applies the topology when it
 * starts, so all of them must pass the same value).
 */
export const DEFAULT_DELIVERY_ACK_WAIT_MS = MINUTE;

type NamedStreamConfig = Partial<StreamConfig> & { name: string };

export function streamConfigs(opts: TopologyOptions = {}): NamedStreamConfig[] {
  const duplicate_window = nanos(DUPLICATE_WINDOW_MS);
  const num_replicas = opts.replicas ?? 1;
  return [
    {
      name: STREAMS.deliveries,
      subjects: ["deliveries.>"],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window,
      num_replicas,
    },
    {
      name: STREAMS.attempts,
      subjects: ["attempts.>"],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window,
      num_replicas,
    },
  ];
}

export function consumerConfigs(
  opts: TopologyOptions = {},
): { stream: string; config: Partial<ConsumerConfig> & { durable_name: string } }[] {
  const explicit = { ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All };
  return [
    // No num_replicas: a durable consumer keeps as many copies as its stream.
    {
      stream: STREAMS.deliveries,
      config: {
        ...explicit,
        durable_name: CONSUMERS.deliveryWorkers,
        // Must exceed the HTTP timeout, or a slow endpoint's task is handed to a second
        // worker while the first is still waiting for the answer.
        ack_wait: nanos(opts.deliveryAckWaitMs ?? DEFAULT_DELIVERY_ACK_WAIT_MS),
        max_ack_pending: 10_000,
      },
    },
    {
      stream: STREAMS.attempts,
      config: { ...explicit, durable_name: CONSUMERS.attemptRecorder, ack_wait: nanos(30_000) },
    },
  ];
}

async function ensureStream(jsm: JetStreamManager, config: NamedStreamConfig) {
  const name = config.name;
  const current = await jsm.streams.info(name).then(
    (info) => info.config,
    (err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    },
  );
  if (!current) await jsm.streams.add(config);
  else if (differs(config, current)) {
    await jsm.streams.update(name, config);
    await untilGroupSettles(jsm, name);
  }
}

/**
 * After a stream changes its replicas its group elects a leader again and its consumers
 * move with it; nats-server 2.9.10 leaves requests about those consumers unanswered
 * until then, so wait for a leader with every follower current (up to a minute).
 */
async function untilGroupSettles(jsm: JetStreamManager, stream: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const group = await jsm.streams.info(stream).then(
      (info) => info.cluster,
      () => undefined,
    );
    if (group?.leader && (group.replicas ?? []).every((peer) => peer.current)) return;
    await sleep(250);
  }
  throw new Error(`stream ${stream} has no leader with current followers a minute after scaling`);
}

async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
) {
  const current = await jsm.consumers.info(stream, config.durable_name).then(
    (info) => info.config,
    (err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    },
  );
  if (!current) await jsm.consumers.add(stream, config);
  else if (differs(config, current)) {
    await jsm.consumers.update(stream, config.durable_name, config);
  }
}

/**
 * Whether any setting we declare has another value on the server. Only a real change is
 * sent: nats-server 2.9.10 leaves an unchanged update unanswered while the stream is
 * still scaling to new replicas, and every process applies the topology at start.
 */
function differs(wanted: object, current: object): boolean {
  return Object.entries(wanted).some(
    ([key, value]) =>
      JSON.stringify(value) !== JSON.stringify((current as Record<string, unknown>)[key]),
  );
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && /not found/i.test(err.message);
}

/** Creates or updates every stream, consumer and bucket. Safe to call from every process. */
export async function ensureTopology(
  nc: NatsConnection,
  jsm: JetStreamManager,
  opts: TopologyOptions = {},
): Promise<void> {
  const replicas = opts.replicas ?? 1;
  try {
    for (const stream of streamConfigs(opts)) await ensureStream(jsm, stream);
    for (const { stream, config } of consumerConfigs(opts)) {
      await ensureConsumer(jsm, stream, config);
    }
    await ensureBucket(nc, jsm, replicas);
  } catch (err) {
    if (
      replicas > 1 &&
      /non-clustered|insufficient resources|no suitable peers/i.test(String(err))
    ) {
      throw new Error(
        `NATS_REPLICAS=${replicas} needs a JetStream cluster of at least ${replicas} nodes, and the server does not have them: ${(err as Error).message}`,
        { cause: err },
      );
    }
    throw err;
  }
}

/** The endpoints bucket is a stream too (KV_endpoints): created once, then kept at the replicas asked for. */
async function ensureBucket(nc: NatsConnection, jsm: JetStreamManager, replicas: number) {
  await new Kvm(nc).create(ENDPOINTS_BUCKET, { history: 1, replicas });
  const stream = `KV_${ENDPOINTS_BUCKET}`;
  const { config } = await jsm.streams.info(stream);
  if (config.num_replicas !== replicas) {
    await jsm.streams.update(stream, { ...config, num_replicas: replicas });
  }
}
