import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { CONSUMERS, STREAMS } from "../topology.ts";

/** One consumer's progress as the server reports it. */
export type ConsumerState = {
  stream: string;
  consumer: string;
  pending: number;
  ackPending: number;
  redelivered: number;
  waitingPulls: number;
  /** Consumer and stream sequence of the last message delivered, and when. */
  delivered: { consumerSeq: number; streamSeq: number; at: string };
  ackFloor: { consumerSeq: number; streamSeq: number };
  created: string;
};

/**
 * The state of every durable consumer of the topology, read over a connection of its
 * own that changes nothing (unlike openQueue, it does not apply the topology). For tests
 * that must say why work stopped moving: a consumer with pending messages, waiting
 * pulls and no new deliveries is stalled. `servers`: one URL, or a cluster's list.
 */
export async function readConsumerStates(
  servers: string | readonly string[],
): Promise<ConsumerState[]> {
  const nc = await connect({
    servers: typeof servers === "string" ? servers : [...servers],
    timeout: 2_000,
  });
  try {
    const jsm = await jetstreamManager(nc);
    const pairs = [
      [STREAMS.deliveries, CONSUMERS.deliveryWorkers],
      [STREAMS.attempts, CONSUMERS.attemptRecorder],
    ] as const;
    return await Promise.all(
      pairs.map(async ([stream, consumer]) => {
        const info = await jsm.consumers.info(stream, consumer);
        return {
          stream,
          consumer,
          pending: info.num_pending,
          ackPending: info.num_ack_pending,
          redelivered: info.num_redelivered,
          waitingPulls: info.num_waiting,
          delivered: {
            consumerSeq: info.delivered.consumer_seq,
            streamSeq: info.delivered.stream_seq,
            at: String(info.delivered.last_active ?? "never"),
          },
          ackFloor: {
            consumerSeq: info.ack_floor.consumer_seq,
            streamSeq: info.ack_floor.stream_seq,
          },
          created: info.created,
        };
      }),
    );
  } finally {
    await nc.close();
  }
}
