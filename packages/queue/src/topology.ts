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

export function streamConfigs(): NamedStreamConfig[] {
  const duplicate_window = nanos(DUPLICATE_WINDOW_MS);
  return [
    {
      name: STREAMS.deliveries,
      subjects: ["deliveries.>"],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window,
    },
    {
      name: STREAMS.attempts,
      subjects: ["attempts.>"],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window,
    },
  ];
}

export function consumerConfigs(
  opts: TopologyOptions = {},
): { stream: string; config: Partial<ConsumerConfig> & { durable_name: string } }[] {
  const explicit = { ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All };
  return [
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
  const exists = await jsm.streams.info(name).then(
    () => true,
    (err: unknown) => {
      if (isNotFound(err)) return false;
      throw err;
    },
  );
  if (exists) await jsm.streams.update(name, config);
  else await jsm.streams.add(config);
}

async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
) {
  const exists = await jsm.consumers.info(stream, config.durable_name).then(
    () => true,
    (err: unknown) => {
      if (isNotFound(err)) return false;
      throw err;
    },
  );
  if (exists) await jsm.consumers.update(stream, config.durable_name, config);
  else await jsm.consumers.add(stream, config);
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
  for (const stream of streamConfigs()) await ensureStream(jsm, stream);
  for (const { stream, config } of consumerConfigs(opts)) await ensureConsumer(jsm, stream, config);
  await new Kvm(nc).create(ENDPOINTS_BUCKET, { history: 1 });
}
